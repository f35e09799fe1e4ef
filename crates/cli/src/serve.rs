//! `signalboard-cli serve [--dist DIR] [--config FILE] [--listen ADDR]`: serves the built app
//! and forwards scrapes to configured targets that send no CORS headers.
//!
//! `GET /proxy?url=URL` fetches URL (with the client's `Accept` header) and answers with CORS
//! headers — but only for URLs that are scrape targets or probes of the config, so this is
//! never an open proxy. Every answer of the server carries `X-Signalboard-Proxy` (the app
//! learns from it that the proxy is there): `1` on files and forwarded answers, `error` on the
//! proxy's own (a target not in the config, a target it could not reach), whose text says why.

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use signalboard_core::config::Config;
use tiny_http::{Header, Request, Response, Server};

#[derive(clap::Args)]
pub struct Args {
    /// Directory with the built app (trunk build --release output).
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
    /// Config whose targets may be proxied (default: DIST/config.json).
    #[arg(long)]
    config: Option<PathBuf>,
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
}

pub fn run(args: Args) -> ExitCode {
    let config_path = args
        .config
        .clone()
        .unwrap_or_else(|| args.dist.join("config.json"));
    let allowed = match allowed_urls(&config_path) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("serve: {e}");
            return ExitCode::from(2);
        }
    };
    let server = match Server::http(&args.listen) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("serve: cannot listen on {}: {e}", args.listen);
            return ExitCode::from(2);
        }
    };
    let addr = server
        .server_addr()
        .to_ip()
        .map_or_else(|| args.listen.clone(), |a| a.to_string());
    eprintln!(
        "signalboard-cli serve: http://{addr}/ (dist {})",
        args.dist.display()
    );
    for request in server.incoming_requests() {
        let response = handle(&request, &args.dist, &allowed);
        let _ = request.respond(response);
    }
    ExitCode::SUCCESS
}

fn allowed_urls(path: &Path) -> Result<Vec<String>, String> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(_) => return Ok(Vec::new()),
    };
    let cfg = Config::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut urls: Vec<String> = cfg.targets().into_iter().map(|t| t.url).collect();
    urls.extend(cfg.probes.iter().map(|p| p.url.clone()));
    Ok(urls)
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn with_headers(
    mut r: Response<std::io::Cursor<Vec<u8>>>,
    headers: &[(&str, &str)],
) -> Response<std::io::Cursor<Vec<u8>>> {
    for (k, v) in headers {
        if let Some(h) = header(k, v) {
            r = r.with_header(h);
        }
    }
    r
}

fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    with_headers(
        Response::from_string(body).with_status_code(status),
        &[("Content-Type", "text/plain; charset=utf-8")],
    )
}

fn handle(req: &Request, dist: &Path, allowed: &[String]) -> Response<std::io::Cursor<Vec<u8>>> {
    let url = req.url();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    if path == "/proxy" {
        return proxy(req, query, allowed);
    }
    static_file(dist, path)
}

fn static_file(dist: &Path, path: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let rel = percent_decode(path.trim_start_matches('/'));
    let rel_path = Path::new(&rel);
    if rel_path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
        && !rel.is_empty()
    {
        return text(400, "bad path");
    }
    let mut file = dist.join(rel_path);
    if rel.is_empty() || file.is_dir() {
        file = file.join("index.html");
    }
    match fs::read(&file) {
        Ok(bytes) => with_headers(
            Response::from_data(bytes),
            &[
                ("Content-Type", content_type(&file)),
                ("Cache-Control", "no-cache"),
                // Tells the app it can route CORS-less scrapes through /proxy.
                ("X-Signalboard-Proxy", "1"),
            ],
        ),
        Err(_) => text(404, "not found"),
    }
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

fn proxy(req: &Request, query: &str, allowed: &[String]) -> Response<std::io::Cursor<Vec<u8>>> {
    let target = query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "url")
        .map(|(_, v)| percent_decode(v))
        .unwrap_or_default();
    let cors = [
        ("Access-Control-Allow-Origin", "*"),
        ("X-Signalboard-Proxy", "1"),
    ];
    // The proxy's own answers (not the target's) say so, so the app shows their text.
    let refusal = [cors[0], ("X-Signalboard-Proxy", "error")];
    if !allowed.contains(&target) {
        return with_headers(
            text(
                403,
                &format!(
                    "{target}: not a target in signalboard-cli serve's --config, so it is not \
                     forwarded (the browser cannot fetch it directly: no CORS headers?)"
                ),
            ),
            &refusal,
        );
    }
    let accept = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("Accept"))
        .map(|h| h.value.as_str().to_string())
        .unwrap_or_else(|| "*/*".into());
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build();
    match agent.get(&target).set("Accept", &accept).call() {
        Ok(resp) | Err(ureq::Error::Status(_, resp)) => {
            let status = resp.status();
            let ct = resp
                .header("Content-Type")
                .unwrap_or("text/plain")
                .to_string();
            let mut body = Vec::new();
            if let Err(e) = resp.into_reader().take(512 << 20).read_to_end(&mut body) {
                return with_headers(text(502, &format!("{target}: {e}")), &refusal);
            }
            with_headers(
                Response::from_data(body).with_status_code(status),
                &[("Content-Type", &ct), cors[0], cors[1]],
            )
        }
        Err(e) => with_headers(text(502, &format!("{target}: {e}")), &refusal),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
