//! The HTTP server: an accept loop serving each connection with hyper, routes with axum
//! (service.rs). Native only: the wasm build has no sockets.
//!
//! Connections are served by hand (not `axum::serve`) so that a fault can close one without
//! any response, and so that shutdown can end every connection, hanging ones included.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use crate::service::handle;
use crate::state::Shared;

/// Accepts until the task is aborted; aborting drops the [`JoinSet`], which ends every connection.
pub(crate) async fn accept_loop(listener: TcpListener, app: Router, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, app.clone(), shared.clone()));
                }
                // Out of file descriptors and the like: pause instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(stream: TcpStream, app: Router, shared: Arc<Shared>) {
    // Responses are small and written whole: send them now, not after Nagle's delay.
    let _ = stream.set_nodelay(true);
    let service =
        service_fn(move |request: Request<Incoming>| handle(request, app.clone(), shared.clone()));
    // An error here is a client hanging up or a fault closing the connection: nothing to do.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(stream), service)
        .await;
}
