// fluent-templates and rust-embed read these folders at compile time; tell
// cargo to rebuild when a file in them changes or appears.
fn main() {
    for folder in ["locales", "templates", "assets"] {
        println!("cargo:rerun-if-changed={folder}");
    }
}
