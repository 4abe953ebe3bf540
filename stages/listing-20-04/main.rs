// Listing 20-4 is an HTML file, not code: this bin says so and shows it.
fn main() {
    companion::html_listing::main("listing-20-04");
}
