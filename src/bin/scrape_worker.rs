//! The scrape worker's entry point (trunk builds it as a `data-type="worker"` binary).
fn main() {
    signalboard::scrape_worker_main();
}
