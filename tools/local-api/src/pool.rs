//! A pool of processes of one function binary, each behind its own emulated Lambda Runtime
//! API (`/2018-06-01/runtime/...`). Invocations wait in one queue; a process takes the next
//! one when it asks for it, as in Lambda. Processes start on demand, up to a maximum.

use crate::logs::LogSink;
use bytes_body::{full, Body};
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpListener;
use tokio::process::Command;
use tokio::sync::{mpsc, oneshot};

pub mod bytes_body {
    use http_body_util::Full;
    use hyper::body::Bytes;
    pub type Body = Full<Bytes>;
    pub fn full(data: impl Into<Bytes>) -> Body {
        Full::new(data.into())
    }
}

pub type InvokeResult = Result<Vec<u8>, String>;

struct Invocation {
    request_id: String,
    event: Vec<u8>,
    reply: oneshot::Sender<InvokeResult>,
}

pub struct FunctionPool {
    name: String,
    binary: PathBuf,
    max_processes: usize,
    timeout: Duration,
    sender: mpsc::UnboundedSender<Invocation>,
    receiver: tokio::sync::Mutex<mpsc::UnboundedReceiver<Invocation>>,
    /// Invocations handed to a process and not answered yet.
    in_flight: Mutex<HashMap<String, oneshot::Sender<InvokeResult>>>,
    queued: AtomicUsize,
    waiting: AtomicUsize,
    processes: AtomicUsize,
    logs: LogSink,
    children: Arc<Mutex<HashSet<u32>>>,
}

impl FunctionPool {
    pub fn new(
        name: &str,
        binary: PathBuf,
        max_processes: usize,
        timeout: Duration,
        logs: LogSink,
        children: Arc<Mutex<HashSet<u32>>>,
    ) -> Arc<Self> {
        let (sender, receiver) = mpsc::unbounded_channel();
        Arc::new(Self {
            name: name.to_owned(),
            binary,
            max_processes: max_processes.max(1),
            timeout,
            sender,
            receiver: tokio::sync::Mutex::new(receiver),
            in_flight: Mutex::new(HashMap::new()),
            queued: AtomicUsize::new(0),
            waiting: AtomicUsize::new(0),
            processes: AtomicUsize::new(0),
            logs,
            children,
        })
    }

    /// Runs one invocation; an error string when the function failed, crashed or timed out.
    pub async fn invoke(self: &Arc<Self>, request_id: String, event: Vec<u8>) -> InvokeResult {
        let (reply, answer) = oneshot::channel();
        self.queued.fetch_add(1, Ordering::SeqCst);
        self.sender
            .send(Invocation {
                request_id,
                event,
                reply,
            })
            .map_err(|_| "function pool closed".to_owned())?;
        self.scale_up();
        match tokio::time::timeout(self.timeout, answer).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err("the function process exited during the invocation".into()),
            Err(_) => Err(format!(
                "the function did not answer within {:?}",
                self.timeout
            )),
        }
    }

    fn scale_up(self: &Arc<Self>) {
        let busy = self.queued.load(Ordering::SeqCst) > self.waiting.load(Ordering::SeqCst);
        if busy {
            let started = self
                .processes
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                    (n < self.max_processes).then_some(n + 1)
                })
                .is_ok();
            if started {
                let pool = Arc::clone(self);
                tokio::spawn(async move { pool.run_process().await });
            }
        }
    }

    async fn run_process(self: Arc<Self>) {
        if let Err(e) = self.clone().process_lifetime().await {
            self.logs.line("local-api", &format!("{}: {e}", self.name));
        }
        self.processes.fetch_sub(1, Ordering::SeqCst);
        // Work may still be queued with no process left to take it.
        self.scale_up();
    }

    async fn process_lifetime(self: Arc<Self>) -> Result<(), String> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let state = Arc::new(ProcessState::default());
        let server = tokio::spawn(serve_runtime_api(
            listener,
            Arc::clone(&self),
            Arc::clone(&state),
        ));

        let mut command = Command::new(&self.binary);
        command
            .env("AWS_LAMBDA_RUNTIME_API", format!("127.0.0.1:{port}"))
            .env("AWS_LAMBDA_FUNCTION_NAME", &self.name)
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env(
                "AWS_LAMBDA_LOG_GROUP_NAME",
                format!("/aws/lambda/{}", self.name),
            )
            .env("AWS_LAMBDA_LOG_STREAM_NAME", format!("local/{port}"))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        // SAFETY: prctl only sets a flag on the child before exec: the child gets SIGTERM if
        // local-api dies, so no function process outlives it.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                Ok(())
            });
        }
        *state.spawned.lock().unwrap() = Some(Instant::now());
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.binary.display()))?;
        let pid = child.id().unwrap_or_default();
        state.pid.store(pid, Ordering::SeqCst);
        self.children.lock().unwrap().insert(pid);
        for (stream, pipe) in [
            ("out", child.stdout.take().map(Pipe::Out)),
            ("err", child.stderr.take().map(Pipe::Err)),
        ] {
            if let Some(pipe) = pipe {
                let logs = self.logs.clone();
                let name = self.name.clone();
                tokio::spawn(async move { pipe.forward(&name, stream, logs).await });
            }
        }
        let status = child.wait().await.map_err(|e| e.to_string())?;
        self.children.lock().unwrap().remove(&pid);
        server.abort();
        if let Some(id) = state.current.lock().unwrap().take() {
            if let Some(reply) = self.in_flight.lock().unwrap().remove(&id) {
                let _ = reply.send(Err(format!("the function process exited ({status})")));
            }
        }
        Err(format!("process {pid} exited ({status})"))
    }

    async fn next_invocation(&self) -> Option<Invocation> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let next = self.receiver.lock().await.recv().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        if next.is_some() {
            self.queued.fetch_sub(1, Ordering::SeqCst);
        }
        next
    }
}

enum Pipe {
    Out(tokio::process::ChildStdout),
    Err(tokio::process::ChildStderr),
}

impl Pipe {
    async fn forward(self, name: &str, _stream: &str, logs: LogSink) {
        let reader: Box<dyn tokio::io::AsyncRead + Unpin + Send> = match self {
            Pipe::Out(o) => Box::new(o),
            Pipe::Err(e) => Box::new(e),
        };
        let mut lines = BufReader::new(reader).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            logs.line(name, &line);
        }
    }
}

/// One function process, as its Runtime API sees it: what a Lambda `REPORT` line needs.
#[derive(Default)]
struct ProcessState {
    spawned: Mutex<Option<Instant>>,
    pid: std::sync::atomic::AtomicU32,
    /// The invocation the process holds, and when it was handed over.
    current: Mutex<Option<String>>,
    handed_at: Mutex<Option<Instant>>,
    /// Spawn to the first `GET /next`: the function's init.
    init: Mutex<Option<Duration>>,
    answered: AtomicUsize,
}

impl ProcessState {
    /// `REPORT RequestId: … Duration: … ms Max Memory Used: … KB`, as Lambda logs after each
    /// invocation; the first also gives `Init Duration` and `First Response` (spawn to answer).
    fn report(&self, request_id: &str) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let duration = self.handed_at.lock().unwrap().map(|t| ms(t.elapsed()));
        let rss_kb = peak_rss_kb(self.pid.load(Ordering::SeqCst));
        let mut line = format!(
            "REPORT RequestId: {request_id} Duration: {:.2} ms Max Memory Used: {} KB",
            duration.unwrap_or_default(),
            rss_kb.map_or("?".into(), |kb| kb.to_string())
        );
        if self.answered.fetch_add(1, Ordering::SeqCst) == 0 {
            if let (Some(init), Some(spawned)) =
                (*self.init.lock().unwrap(), *self.spawned.lock().unwrap())
            {
                line.push_str(&format!(
                    " Init Duration: {:.2} ms First Response: {:.2} ms",
                    ms(init),
                    ms(spawned.elapsed())
                ));
            }
        }
        line
    }
}

/// The process's peak resident set (VmHWM), as Lambda's "Max Memory Used".
fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

async fn serve_runtime_api(
    listener: TcpListener,
    pool: Arc<FunctionPool>,
    state: Arc<ProcessState>,
) {
    while let Ok((stream, _)) = listener.accept().await {
        let pool = Arc::clone(&pool);
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let pool = Arc::clone(&pool);
                let state = Arc::clone(&state);
                async move { Ok::<_, std::convert::Infallible>(runtime_api(req, pool, state).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn runtime_api(
    req: Request<Incoming>,
    pool: Arc<FunctionPool>,
    state: Arc<ProcessState>,
) -> Response<Body> {
    use http_body_util::BodyExt;
    let path = req.uri().path().to_owned();
    let method = req.method().clone();
    let reply = |status: u16, body: &str| {
        Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(full(body.to_owned()))
            .unwrap()
    };
    let Some(rest) = path.strip_prefix("/2018-06-01/runtime/") else {
        return reply(404, r#"{"errorMessage":"unknown path"}"#);
    };
    match (method, rest) {
        (Method::GET, "invocation/next") => {
            {
                let mut init = state.init.lock().unwrap();
                if init.is_none() {
                    *init = state.spawned.lock().unwrap().map(|t| t.elapsed());
                }
            }
            let Some(invocation) = pool.next_invocation().await else {
                return reply(500, r#"{"errorMessage":"pool closed"}"#);
            };
            let deadline = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                + pool.timeout;
            *state.current.lock().unwrap() = Some(invocation.request_id.clone());
            *state.handed_at.lock().unwrap() = Some(Instant::now());
            pool.in_flight
                .lock()
                .unwrap()
                .insert(invocation.request_id.clone(), invocation.reply);
            Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .header("lambda-runtime-aws-request-id", &invocation.request_id)
                .header(
                    "lambda-runtime-deadline-ms",
                    deadline.as_millis().to_string(),
                )
                .header(
                    "lambda-runtime-invoked-function-arn",
                    format!(
                        "arn:aws:lambda:us-east-1:000000000000:function:{}",
                        pool.name
                    ),
                )
                .header(
                    "lambda-runtime-trace-id",
                    format!(
                        "Root=1-00000000-{};Sampled=0",
                        &invocation.request_id[..24.min(invocation.request_id.len())]
                    ),
                )
                .body(full(invocation.event))
                .unwrap()
        }
        (Method::POST, "init/error") => {
            let body = req
                .into_body()
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            pool.logs.line(
                &pool.name,
                &format!("init error: {}", String::from_utf8_lossy(&body)),
            );
            reply(202, "{}")
        }
        (Method::POST, rest) => {
            let Some((id, outcome)) = rest
                .strip_prefix("invocation/")
                .and_then(|r| r.split_once('/'))
            else {
                return reply(404, r#"{"errorMessage":"unknown path"}"#);
            };
            let id = id.to_owned();
            let outcome = outcome.to_owned();
            let body = req
                .into_body()
                .collect()
                .await
                .map(|b| b.to_bytes().to_vec())
                .unwrap_or_default();
            let sender = pool.in_flight.lock().unwrap().remove(&id);
            state.current.lock().unwrap().take_if(|c| *c == id);
            let Some(sender) = sender else {
                return reply(400, r#"{"errorMessage":"unknown or finished invocation"}"#);
            };
            let result = match outcome.as_str() {
                "response" => Ok(body),
                _ => Err(format!(
                    "function error: {}",
                    String::from_utf8_lossy(&body)
                )),
            };
            pool.logs.line("local-api", &state.report(&id));
            let _ = sender.send(result);
            reply(202, "{}")
        }
        _ => reply(404, r#"{"errorMessage":"unknown path"}"#),
    }
}
