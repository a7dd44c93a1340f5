//! The default theme (`templates/`, `static/`) is embedded in the binary; rebuild when it changes.
fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=static");
}
