//! `signalboard-demo`: parses flags, binds the listener, logs one start line, serves.

use std::process::ExitCode;

use signalboard_demo::config::USAGE;
use signalboard_demo::{parse_args, serve, Command};

#[tokio::main]
async fn main() -> ExitCode {
    let (listen, config) = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run { listen, config }) => (listen, config),
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("signalboard-demo: {message}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(&listen).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("signalboard-demo: cannot listen on {listen}: {err}");
            return ExitCode::from(2);
        }
    };
    let addr = listener
        .local_addr()
        .map_or(listen, |addr| addr.to_string());
    println!("signalboard-demo listening on http://{addr}");
    match serve(listener, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("signalboard-demo: server error: {err}");
            ExitCode::FAILURE
        }
    }
}
