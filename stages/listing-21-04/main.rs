// Listing 21-4 is an HTML file, not code: this bin says so and shows it.
#[path = "../html_listing.rs"]
mod html_listing;

fn main() {
    html_listing::main(html_listing::Listing {
        label: "Listing 21-4",
        file: "hello.html",
        contents: include_str!("../../hello.html"),
        first_reader: "listing-21-05",
    });
}
