//! `applivery-mock`: the local Applivery mock server. Flags and behaviour: see the crate docs.

use std::process::ExitCode;

use applivery_mock::cli::{MockArgs, run};
use clap::Parser;

#[derive(Parser)]
#[command(
    name = "applivery-mock",
    version,
    about = "A local mock of Applivery's OEM user provisioning API, with fault injection"
)]
struct Cli {
    #[command(flatten)]
    args: MockArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("applivery-mock: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("applivery-mock: {e}");
            ExitCode::FAILURE
        }
    }
}
