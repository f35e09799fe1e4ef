//! `signalboard-cli check`: counts and exit 0 on valid input, `LINE:COL: message` and exit 1 on
//! invalid input, exit 2 on usage and I/O errors; files, stdin and http URLs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_signalboard-cli");

fn temp_file(name: &str, body: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("sb-check-{}-{name}", std::process::id()));
    std::fs::write(&path, body).unwrap();
    path
}

fn check(args: &[&str]) -> Output {
    Command::new(BIN).arg("check").args(args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn valid_prometheus_text_prints_counts() {
    let file = temp_file(
        "ok.prom",
        b"# TYPE a counter\na{x=\"1\"} 1\na{x=\"2\"} 2\nb 3\n",
    );
    let out = check(&[file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        stdout(&out).trim(),
        "2 families, 3 series, 3 samples (prometheus text 0.0.4)"
    );
}

#[test]
fn invalid_input_prints_line_and_column() {
    let file = temp_file("bad.prom", b"ok 1\nbad{x=1} 2\n");
    let out = check(&[file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out).trim(),
        "2:7: expected a double-quoted label value, found '1'"
    );
}

#[test]
fn auto_format_sniffs_openmetrics_and_forced_format_wins() {
    let body = b"# TYPE a counter\na_total 1\na_created 2\n# EOF\n";
    let file = temp_file("om.txt", body);
    let out = check(&[file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        stdout(&out).trim(),
        "1 families, 2 series, 2 samples (openmetrics 1.0)"
    );
    // The same text read as Prometheus text: the `# EOF` is a comment, the counter splits.
    let out = check(&["--format", "prometheus", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).ends_with("(prometheus text 0.0.4)\n"),
        "{}",
        stdout(&out)
    );
    let missing_eof = temp_file("om-noeof.txt", b"a 1\n");
    let out = check(&["--format", "openmetrics", missing_eof.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("2:1: expected \"# EOF\""),
        "{}",
        stdout(&out)
    );
}

#[test]
fn reads_stdin() {
    let mut child = Command::new(BIN)
        .args(["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"m 1 1000\nm2{a=\"b\"} NaN\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out).trim(),
        "2 families, 2 series, 2 samples (prometheus text 0.0.4)"
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(check(&["/nonexistent/metrics.prom"]).status.code(), Some(2));
    assert_eq!(check(&["--format", "xml", "-"]).status.code(), Some(2));
    assert_eq!(check(&[]).status.code(), Some(2));
    assert_eq!(
        check(&["http://127.0.0.1:1/metrics"]).status.code(),
        Some(2)
    );
}

#[test]
fn size_limit_is_an_invalid_input() {
    let file = temp_file("big.prom", "m 1\n".repeat(100).as_bytes());
    let out = check(&["--max-bytes", "100", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("exceeds the limit of 100 bytes"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn strict_by_default_lenient_on_request() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/prometheus-text/bench"
    );
    let om = format!("{dir}/alltypes.5mfs.om.txt");
    let out = check(&["--format", "openmetrics", &om]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("_sum samples cannot be negative"),
        "{}",
        stdout(&out)
    );
    let out = check(&["--format", "openmetrics", "--lenient", &om]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains(", 53 samples"), "{}", stdout(&out));
    // Prometheus text that ends in `# EOF`: the sniffed OpenMetrics guess falls back.
    let prom = format!("{dir}/alltypes.237mfs.prom.txt");
    let out = check(&[&prom]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(", 1857 samples (prometheus text 0.0.4)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn node_exporter_fixture_counts() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/prometheus-text/bench/node_exporter.e2e-output.txt"
    );
    assert!(
        std::path::Path::new(path).is_file(),
        "shared fixture missing: {path}"
    );
    let out = check(&[path]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // 3,027 sample lines per the suite README.
    assert!(stdout(&out).contains(", 3027 samples"), "{}", stdout(&out));
}

/// A one-request HTTP server: records the Accept header and answers with `content_type`.
fn serve_once(
    content_type: &'static str,
    body: &'static str,
) -> (String, std::thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/metrics", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut accept = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.trim().is_empty() {
                break;
            }
            if let Some(v) = line
                .strip_prefix("Accept: ")
                .or_else(|| line.strip_prefix("accept: "))
            {
                accept = v.trim().to_string();
            }
        }
        let reply = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(reply.as_bytes()).unwrap();
        let _ = reader.read_to_end(&mut Vec::new());
        accept
    });
    (url, handle)
}

#[test]
fn url_uses_prometheus_accept_header_and_content_type() {
    // Ends without `# EOF`'s newline and has a `_total` counter: only OpenMetrics groups it as `a`.
    let (url, server) = serve_once(
        "application/openmetrics-text; version=1.0.0; charset=utf-8",
        "# TYPE a counter\na_total 1\n# EOF",
    );
    let out = check(&[&url]);
    let accept = server.join().unwrap();
    assert_eq!(accept, signalboard_core::exposition::ACCEPT_HEADER);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        stdout(&out).trim(),
        "1 families, 1 series, 1 samples (openmetrics 1.0)"
    );

    let (url, server) = serve_once("text/plain; version=0.0.4", "x{a=\"1\"} 1\nx{a=\"2\"} 2\n");
    let out = check(&[&url]);
    server.join().unwrap();
    assert_eq!(
        stdout(&out).trim(),
        "1 families, 2 series, 2 samples (prometheus text 0.0.4)"
    );
}
