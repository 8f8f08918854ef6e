//! The `applivery` command.
pub mod input;
pub mod journal;
pub mod limiter;
pub mod outcome;
