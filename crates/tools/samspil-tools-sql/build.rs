// `sqlx::migrate!` embeds the migrations it finds when the crate compiles;
// without this, a new migration file would not be seen until something else
// made the crate compile again.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
