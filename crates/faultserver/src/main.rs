//! `signalboard-faultserver [--listen ADDR]`: binds (default 127.0.0.1:0), prints
//! `listening on http://ADDR`, serves the fault targets until killed.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut listen = "127.0.0.1:0".to_string();
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--listen", Some(addr)) => listen = addr,
            _ => {
                eprintln!("usage: signalboard-faultserver [--listen 127.0.0.1:0]");
                return ExitCode::from(2);
            }
        }
    }
    let faults = match signalboard_faultserver::Faults::bind(&listen).await {
        Ok(f) => f,
        Err(e) => {
            eprintln!("signalboard-faultserver: cannot listen on {listen}: {e}");
            return ExitCode::from(2);
        }
    };
    let addr = faults.control_addr().unwrap_or(listen);
    println!("signalboard-faultserver listening on http://{addr}");
    match faults.serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("signalboard-faultserver: server error: {e}");
            ExitCode::FAILURE
        }
    }
}
