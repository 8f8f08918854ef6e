//! `applivery`: see the crate docs and `applivery --help`.

fn main() -> std::process::ExitCode {
    applivery_cli::run()
}
