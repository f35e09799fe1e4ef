//! Signalboard web app entry point (trunk builds this binary).
fn main() {
    signalboard::start();
}
