#![doc = include_str!("../README.md")]
//!
//! # The library
//!
//! The binary is a thin `main` over [`run`]; the modules are public for the command's own tests
//! and benchmark, not as a stable library API.
//!
//! - [`operations`]: one command per operation of the spec without a hand-written one, built
//!   from the generated operation table; printed by [`output_table`].
//! - [`args`]: the command line.
//! - [`create`]: `oem-users create`.
//! - [`import`]: `oem-users import` (pass 1 [`input`] + validation, pass 2 sending through the
//!   facade's bulk engine, outcomes to the [`journal`] and [`results`], [`progress`] and [`summary`]).
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
mod interrupt;
pub mod journal;
pub mod operations;
pub mod outcome;
pub mod output_file;
pub mod output_table;
pub mod progress;
pub mod refresh_secret;
pub mod results;
mod rotate;
mod schema;
pub mod secrets;
mod stream;
pub mod summary;
pub mod terminal;
pub mod user_flags;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use args::{Cli, Command, GlobalArgs, OemUsersCommand};

/// What the command line asks for: a hand-written command, or a generated one (`operations`).
enum Chosen {
    HandWritten(Cli),
    Generated(
        GlobalArgs,
        &'static applivery_api::operation::Operation,
        clap::ArgMatches,
    ),
}

/// Parses the command line: the hand-written commands of `args`, and one per operation of the
/// spec without one (`operations::augment`).
fn parse() -> Chosen {
    let matches = operations::augment(Cli::command()).get_matches();
    if let Some((operation, command)) = operations::chosen(&matches) {
        let global = GlobalArgs::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
        return Chosen::Generated(global, operation, command.clone());
    }
    Chosen::HandWritten(Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit()))
}

/// Parses the command line, runs the command, and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = match parse() {
        Chosen::HandWritten(cli) => cli,
        Chosen::Generated(global, operation, matches) => {
            return run_generated(&global, operation, &matches);
        }
    };
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

/// Runs a generated command (one of `operations`).
fn run_generated(
    global: &GlobalArgs,
    operation: &'static applivery_api::operation::Operation,
    matches: &clap::ArgMatches,
) -> ExitCode {
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failure::Failure::local_io(format!("cannot start the async runtime: {e}")))
        .and_then(|runtime| runtime.block_on(operations::run(global, operation, matches)));
    match result {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            failure.report(global.output.is_json());
            ExitCode::from(failure.exit_code)
        }
    }
}
