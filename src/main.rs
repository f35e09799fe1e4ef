//! Signalboard web app entry point: mounts the app shell.
fn main() {
    console_error_panic_hook::set_once();
}
