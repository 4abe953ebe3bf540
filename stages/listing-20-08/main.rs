// Listing 20-8 is an HTML file, not code: this bin says so and shows it.
fn main() {
    companion::html_listing::main("listing-20-08");
}
