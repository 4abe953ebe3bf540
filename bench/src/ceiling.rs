//! The ceiling: a production HTTP server (hyper on tokio) that serves what
//! the chapter's servers serve, the way they serve it, on 127.0.0.1:7878.
//!
//! - `GET /` answers `HTTP/1.1 200 OK` with `hello.html`, `GET /sleep` the
//!   same after five seconds, anything else `HTTP/1.1 404 NOT FOUND` (the
//!   chapter's reason phrase, not hyper's `Not Found`) with `404.html`.
//! - The file is read from the working directory on every request, as
//!   `fs::read_to_string` does in the chapter, unless `cached` asks for it
//!   to be read once at the start (to measure what reading costs).
//! - One request per connection, as in the chapter, unless `keep_alive`
//!   asks for hyper's default (to measure what a connection costs).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::ext::ReasonPhrase;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// How the ceiling serves.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Read each file once at the start instead of on every request.
    pub cached: bool,
    /// Keep connections open for further requests (hyper's default).
    pub keep_alive: bool,
}

/// The two files, when they are read once.
struct Files {
    hello: Bytes,
    not_found: Bytes,
}

/// Serve until the process is stopped.
pub fn serve(options: Options) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start tokio's runtime")?;
    runtime.block_on(run(options))
}

async fn run(options: Options) -> anyhow::Result<()> {
    let address: SocketAddr = companion::server::ADDRESS
        .parse()
        .expect("the chapter's address is an address");
    let listener = TcpListener::bind(address)
        .await
        .with_context(|| format!("could not listen on {address}"))?;
    let files = if options.cached {
        Some(Arc::new(Files {
            hello: read("hello.html").await?,
            not_found: read("404.html").await?,
        }))
    } else {
        None
    };
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors, say: the connection is lost, the
            // server goes on, as a production server does.
            Err(_) => continue,
        };
        let files = files.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| answer(request, files.clone()));
            // A connection the client drops half-way is its business.
            let _ = http1::Builder::new()
                .keep_alive(options.keep_alive)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn read(filename: &str) -> anyhow::Result<Bytes> {
    let contents = tokio::fs::read(filename)
        .await
        .with_context(|| format!("could not read {filename}"))?;
    Ok(Bytes::from(contents))
}

async fn answer(
    request: Request<Incoming>,
    files: Option<Arc<Files>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let found = match (request.method(), request.uri().path()) {
        (&Method::GET, "/") => true,
        (&Method::GET, "/sleep") => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            true
        }
        _ => false,
    };
    let contents = match (&files, found) {
        (Some(files), true) => Ok(files.hello.clone()),
        (Some(files), false) => Ok(files.not_found.clone()),
        (None, true) => read("hello.html").await,
        (None, false) => read("404.html").await,
    };
    let mut response = match contents {
        Ok(contents) => Response::new(Full::new(contents)),
        Err(_) => {
            let mut response = Response::new(Full::new(Bytes::new()));
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return Ok(response);
        }
    };
    if !found {
        *response.status_mut() = StatusCode::NOT_FOUND;
        response
            .extensions_mut()
            .insert(ReasonPhrase::from_static(b"NOT FOUND"));
    }
    Ok(response)
}
