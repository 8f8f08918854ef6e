//! The `applivery` command: create one Applivery OEM user, or provision thousands from a CSV /
//! JSON Lines file, crash-safe. The binary is a thin `main` over [`run`]; the modules are public
//! for the command's own tests and benchmark, not as a stable library API.
//!
//! - [`args`]: the command line.
//! - [`create`]: `oem-users create`.
//! - [`import`]: `oem-users import` (pass 1 [`input`] + validation, pass 2 sending through the
//!   [`limiter`], outcomes to the [`journal`] and [`results`], [`progress`] and [`summary`]).
//! - [`exit_code`]: the exit code table.

mod api_key;
pub mod args;
mod client;
pub mod collaborators;
pub mod create;
pub mod exit_code;
pub mod failure;
pub mod import;
pub mod input;
pub mod journal;
pub mod limiter;
pub mod outcome;
pub mod output_file;
pub mod progress;
pub mod refresh_secret;
pub mod results;
mod schema;
pub mod secrets;
pub mod summary;
pub mod terminal;
pub mod user_flags;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, CollaboratorsCommand, Command, OemUsersCommand};

/// Parses the command line, runs the command, and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.global.output.is_json();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("applivery: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let code = runtime.block_on(async {
        match cli.command {
            Command::OemUsers(OemUsersCommand::Create(args)) => {
                create::run(&cli.global, args).await.map(|()| exit_code::OK)
            }
            Command::OemUsers(OemUsersCommand::Import(args)) => {
                import::run(&cli.global, args).await
            }
            Command::OemUsers(OemUsersCommand::RefreshSecret(args)) => {
                refresh_secret::run(&cli.global, args)
                    .await
                    .map(|()| exit_code::OK)
            }
            Command::Collaborators(CollaboratorsCommand::List(args)) => {
                collaborators::run(&cli.global, args)
                    .await
                    .map(|()| exit_code::OK)
            }
            Command::OemUsers(OemUsersCommand::Schema) => {
                schema::run();
                Ok(exit_code::OK)
            }
            Command::Mock(args) => applivery_mock::cli::run(args)
                .await
                .map(|()| exit_code::OK)
                .map_err(|e| failure::Failure::local_io(format!("mock: {e}"))),
        }
    });
    // Don't wait for detached tasks (a hung request after Ctrl-C): everything that matters is
    // already journaled and flushed.
    runtime.shutdown_background();
    match code {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            failure.report(json);
            ExitCode::from(failure.exit_code)
        }
    }
}
