//! The command line, as clap definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::input::Format;

/// Create Applivery OEM users: one at a time, or thousands from a CSV / JSON Lines file.
///
/// The API key is read from APPLIVERY_API_KEY, or from a file with --api-key-file.
#[derive(Parser)]
#[command(name = "applivery", version, propagate_version = true)]
pub struct Cli {
    /// Global settings.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Settings every command understands.
#[derive(Args, Debug)]
pub struct GlobalArgs {
    /// API base URL (https, or http to a loopback address for a local mock).
    #[arg(
        long,
        global = true,
        env = "APPLIVERY_BASE_URL",
        default_value = applivery::DEFAULT_BASE_URL,
        value_name = "URL"
    )]
    pub base_url: String,
    /// Output format of results and errors on stdout.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
    /// Read the API key from PATH, or from standard input with `-` (a trailing line break is
    /// removed; empty is refused). Takes precedence over APPLIVERY_API_KEY; not with --api-key.
    #[arg(long, global = true, value_name = "PATH|-")]
    pub api_key_file: Option<PathBuf>,
}

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// For people.
    Text,
    /// One JSON document on stdout.
    Json,
    /// JSON Lines: one object per line (as `json` for commands that print one object).
    Jsonl,
    /// CSV with a header (commands that print lists).
    Csv,
}

impl OutputFormat {
    /// Whether results and errors are printed as JSON.
    pub fn is_json(self) -> bool {
        matches!(self, OutputFormat::Json | OutputFormat::Jsonl)
    }
}

/// The commands.
#[derive(Subcommand)]
pub enum Command {
    /// Create OEM users. (Every operation of the spec without a command here is one too,
    /// generated from the operation table: see `operations.rs`.)
    #[command(name = "oem-users", subcommand)]
    OemUsers(OemUsersCommand),
    /// Start the local mock of the API (for trying the CLI and for tests).
    Mock(applivery_mock::cli::MockArgs),
}

/// `applivery oem-users ...`.
#[derive(Subcommand, Debug)]
pub enum OemUsersCommand {
    /// Create one OEM user and print the created collaborator.
    Create(CreateArgs),
    /// Create many OEM users from a CSV file with a header, or a JSON Lines file.
    ///
    /// Validates every row first and reports invalid ones by line, then creates the valid ones
    /// concurrently. A journal (next to FILE by default) records every row's outcome, so an
    /// interrupted import is resumed by running the same command again.
    Import(ImportArgs),
    /// Print the JSON Schema of one import row (a JSON Lines line / the request body).
    Schema,
}

/// Where to send requests and as whom. `Debug` never shows the key.
#[derive(Args)]
pub struct Target {
    /// Organization to create users in.
    #[arg(long, env = "APPLIVERY_ORGANIZATION_ID", value_name = "ORG")]
    pub org: String,
    /// API key. Discouraged: prefer the APPLIVERY_API_KEY environment variable, since a flag
    /// is visible to other users in the process list and stays in shell history.
    #[arg(
        long,
        env = "APPLIVERY_API_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub api_key: Option<String>,
    /// Seconds allowed for one request (a timeout counts as a failed attempt).
    #[arg(long, default_value_t = 30, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("org", &self.org)
            .field(
                "api_key",
                &self.api_key.as_ref().map(|_| applivery::REDACTED),
            )
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// `applivery oem-users create`.
#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Organization and credentials.
    #[command(flatten)]
    pub target: Target,
    /// The user: a flag per property of the spec's `NewOemUser` (`--email`, `--first-name`,
    /// `--tags`/`--tag`, ...).
    #[command(flatten)]
    pub user: crate::user_flags::UserFlags,
    /// Print the user's OEM secret (JSON: `oemSecret`); without it, it is never shown.
    #[arg(long)]
    pub show_secret: bool,
}

/// `applivery oem-users import`.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The file: CSV with a header naming the request's properties (email, firstName, ...;
    /// list items separated by `;`) or JSON Lines (`.jsonl`) of request bodies.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Organization and credentials.
    #[command(flatten)]
    pub target: Target,
    /// Most requests in flight at once (lowered automatically while the API answers 429).
    #[arg(long, default_value_t = 8, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Journal of row outcomes, for resuming [default: FILE.journal].
    #[arg(long, value_name = "PATH", conflicts_with = "no_journal")]
    pub journal: Option<PathBuf>,
    /// Keep no journal: an interrupted import cannot be resumed safely.
    #[arg(long)]
    pub no_journal: bool,
    /// Only read and validate the file; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// List the organization's collaborators first and send only the rows whose email (ignoring
    /// case) is not among them; the others are reported as `skipped_existing`.
    #[arg(long)]
    pub skip_existing: bool,
    /// Write one result per row to PATH: .csv, .json (an array) or .jsonl.
    #[arg(long, value_name = "PATH")]
    pub results: Option<PathBuf>,
    /// File format [default: from the extension, else from the first byte].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Attempts per row before it is recorded as failed (429, 5xx, timeouts are retried).
    #[arg(long, default_value_t = 10, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=100))]
    pub max_attempts: u32,
    /// No progress output on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// Append `email,collaboratorId,oemSecret` of each created user to PATH (created with mode
    /// 0600; an existing file open to others is narrowed to 0600). Secrets go nowhere else.
    #[arg(long, value_name = "PATH")]
    pub secrets: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn import_flags_parse() {
        let cli = Cli::try_parse_from([
            "applivery",
            "--output",
            "json",
            "oem-users",
            "import",
            "users.csv",
            "--org",
            "demo-org",
            "--concurrency",
            "64",
            "--dry-run",
            "--results",
            "out.csv",
        ])
        .unwrap();
        assert_eq!(cli.global.output, OutputFormat::Json);
        let Command::OemUsers(OemUsersCommand::Import(args)) = cli.command else {
            panic!("not an import");
        };
        assert_eq!(args.concurrency, 64);
        assert!(args.dry_run);
        assert_eq!(args.target.org, "demo-org");
        let cli = Cli::try_parse_from([
            "applivery",
            "oem-users",
            "create",
            "--org",
            "o",
            "--email",
            "e@example.com",
            "--api-key",
            "sk-very-secret",
        ])
        .unwrap();
        let Command::OemUsers(OemUsersCommand::Create(args)) = cli.command else {
            panic!("not a create");
        };
        let shown = format!("{args:?}");
        assert!(
            !shown.contains("sk-very-secret") && shown.contains("redacted"),
            "{shown}"
        );
        assert!(
            Cli::try_parse_from([
                "applivery",
                "oem-users",
                "import",
                "f",
                "--org",
                "o",
                "--concurrency",
                "0"
            ])
            .is_err()
        );
    }
}
