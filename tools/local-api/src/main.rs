//! `local-api`: serves the HTTP API of `template.yaml` on localhost, without Docker. Each
//! request becomes an API Gateway HTTP API (payload 2.0) event for the route's function
//! binary, which runs unchanged behind an emulated Lambda Runtime API.

mod event;
mod logs;
mod pool;
mod template;

use event::{build_event, parse_result, IncomingRequest, OutgoingResponse, RouteMatch};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use logs::LogSink;
use pool::bytes_body::{full, Body};
use pool::FunctionPool;
use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use template::Template;
use tokio::net::TcpListener;

/// API Gateway's payload limit.
const MAX_BODY: usize = 10 * 1024 * 1024;

const USAGE: &str =
    "usage: local-api [--template template.yaml] [--bin-dir target/debug] [--host 127.0.0.1]
                 [--port 3000] [--log-file FILE] [--max-processes 4] [--timeout-secs 30]
The functions inherit this process's environment (TABLE_NAME, AWS_ENDPOINT_URL, ...).";

struct Options {
    template: String,
    bin_dir: PathBuf,
    host: String,
    port: u16,
    log_file: Option<String>,
    max_processes: usize,
    timeout: Duration,
}

fn parse_options() -> Result<Options, String> {
    let mut o = Options {
        template: "template.yaml".into(),
        bin_dir: PathBuf::from("target/debug"),
        host: "127.0.0.1".into(),
        port: std::env::var("LOCAL_API_PORT")
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(3000),
        log_file: None,
        max_processes: 4,
        timeout: Duration::from_secs(30),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(String::new());
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--template" => o.template = value,
            "--bin-dir" => o.bin_dir = PathBuf::from(value),
            "--host" => o.host = value,
            "--port" => o.port = number(&value)? as u16,
            "--log-file" => o.log_file = Some(value),
            "--max-processes" => o.max_processes = number(&value)? as usize,
            "--timeout-secs" => o.timeout = Duration::from_secs(number(&value)?),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

struct Gateway {
    template: Template,
    pools: BTreeMap<String, Arc<FunctionPool>>,
    logs: LogSink,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            if e.is_empty() {
                eprintln!("{USAGE}");
            } else {
                eprintln!("local-api: {e}");
            }
            std::process::ExitCode::FAILURE
        }
    }
}

/// `local-api invoke BINARY --event FILE`: one event through the emulated Runtime API.
async fn invoke_once(args: &[String]) -> Result<(), String> {
    let (binary, rest) = args
        .split_first()
        .ok_or("invoke needs a function binary name")?;
    let mut event_file = None;
    let mut bin_dir = PathBuf::from("target/debug");
    let mut it = rest.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--event" => event_file = Some(value.clone()),
            "--bin-dir" => bin_dir = PathBuf::from(value),
            other => return Err(format!("unknown option {other}")),
        }
    }
    let event_file = event_file.ok_or("invoke needs --event FILE")?;
    let event = std::fs::read(&event_file).map_err(|e| format!("cannot read {event_file}: {e}"))?;
    serde_json::from_slice::<serde_json::Value>(&event)
        .map_err(|e| format!("{event_file} is not JSON: {e}"))?;
    let path = bin_dir.join(binary);
    if !path.is_file() {
        return Err(format!(
            "function binary not built: {} (run cargo build)",
            path.display()
        ));
    }
    let pool = FunctionPool::new(
        binary,
        path,
        1,
        Duration::from_secs(30),
        LogSink::stderr(),
        Arc::default(),
    );
    let result = pool.invoke(request_id(), event).await?;
    println!("{}", String::from_utf8_lossy(&result));
    Ok(())
}

async fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("invoke") {
        return invoke_once(&args[1..]).await;
    }
    let options = parse_options()?;
    let text = std::fs::read_to_string(&options.template)
        .map_err(|e| format!("cannot read {}: {e}", options.template))?;
    let template = template::parse(&text)?;
    let logs = LogSink::new(options.log_file.as_deref()).map_err(|e| format!("log file: {e}"))?;
    let children: Arc<Mutex<HashSet<u32>>> = Arc::default();

    let mut pools = BTreeMap::new();
    let mut missing = Vec::new();
    for binary in template.functions.values() {
        let path = options.bin_dir.join(binary);
        if !path.is_file() {
            missing.push(path.display().to_string());
        }
        let pool = FunctionPool::new(
            binary,
            path,
            options.max_processes,
            options.timeout,
            logs.clone(),
            children.clone(),
        );
        pools.insert(binary.clone(), pool);
    }
    if !missing.is_empty() {
        return Err(format!(
            "function binaries not built: {} (run cargo build)",
            missing.join(", ")
        ));
    }
    let addr: SocketAddr = format!("{}:{}", options.host, options.port)
        .parse()
        .map_err(|e| format!("bad address: {e}"))?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    println!(
        "local-api: listening on http://{addr} ({} routes, {} functions)",
        template.routes.len(),
        pools.len()
    );
    let gateway = Arc::new(Gateway {
        template,
        pools,
        logs,
    });

    let serve = async {
        loop {
            let Ok((stream, peer)) = listener.accept().await else {
                continue;
            };
            let gateway = Arc::clone(&gateway);
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let gateway = Arc::clone(&gateway);
                    async move { Ok::<_, std::convert::Infallible>(gateway.handle(req, peer).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    };
    tokio::select! {
        _ = serve => {}
        _ = shutdown_signal() => {}
    }
    for pid in children.lock().unwrap().drain() {
        // SAFETY: plain kill(2) of a child we started.
        unsafe { libc::kill(pid as i32, libc::SIGTERM) };
    }
    println!("local-api: stopped");
    Ok(())
}

async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

impl Gateway {
    async fn handle(&self, req: Request<Incoming>, peer: SocketAddr) -> Response<Body> {
        let started = Instant::now();
        let method = req.method().as_str().to_owned();
        let path = req.uri().path().to_owned();
        let query = req.uri().query().unwrap_or("").to_owned();
        let headers: Vec<(String, String)> = req
            .headers()
            .iter()
            .filter_map(|(k, v)| {
                v.to_str()
                    .ok()
                    .map(|v| (k.as_str().to_owned(), v.to_owned()))
            })
            .collect();
        let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
            Ok(b) => b.to_bytes(),
            Err(_) => return plain(413, r#"{"message":"Request Entity Too Large"}"#),
        };
        let (function, route_key, params) = match self.template.route(&method, &path) {
            Some((route, params)) => (
                route.function.clone(),
                format!("{} {}", route.method, route.path),
                params,
            ),
            None => match &self.template.default_function {
                Some(f) => (f.clone(), "$default".to_owned(), Vec::new()),
                None => return plain(404, r#"{"message":"Not Found"}"#),
            },
        };
        let request_id = request_id();
        let incoming = IncomingRequest {
            method: &method,
            path: &path,
            query: &query,
            headers,
            body: &body,
            source_ip: peer.ip().to_string(),
        };
        let route = RouteMatch {
            route_key,
            path_parameters: &params,
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis();
        let event = build_event(&incoming, &route, &request_id, now)
            .to_string()
            .into_bytes();
        let pool = &self.pools[&function];
        let response = match pool
            .invoke(request_id.clone(), event)
            .await
            .and_then(|raw| parse_result(&raw))
        {
            Ok(r) => r,
            Err(e) => {
                self.logs
                    .line("local-api", &format!("{request_id} {function}: {e}"));
                // What API Gateway answers when the integration fails.
                OutgoingResponse {
                    status: 500,
                    headers: vec![("content-type".into(), "application/json".into())],
                    body: br#"{"message":"Internal Server Error"}"#.to_vec(),
                }
            }
        };
        // Access log, as the template's API Gateway access log: the route (never the path,
        // which may hold a token id: GET /v2.0/tokens/{tokenId}), the request id, status, time.
        self.logs.line(
            "local-api",
            &format!(
                "{} {request_id} -> {} {function} {}ms",
                route.route_key,
                response.status,
                started.elapsed().as_millis()
            ),
        );
        let mut builder = Response::builder()
            .status(response.status)
            .header("apigw-requestid", &request_id);
        for (k, v) in response.headers {
            builder = builder.header(k, v);
        }
        builder
            .body(full(response.body))
            .unwrap_or_else(|_| plain(500, r#"{"message":"Internal Server Error"}"#))
    }
}

fn plain(status: u16, body: &'static str) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(full(body))
        .unwrap()
}

fn request_id() -> String {
    let h = mfa_shared::secrets::random_hex(16);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}
