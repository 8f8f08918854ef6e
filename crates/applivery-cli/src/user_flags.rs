//! `oem-users create`'s flags for the request body: one per property of the spec's
//! `NewOemUser` (its generated `FIELDS`), named in kebab case (`--first-name`); a list
//! property is repeatable and also takes its item's name (`--tags a --tag b`).

use applivery_api::shape::{Field, Shape};
use applivery_api::types::NewOemUser;
use clap::{Arg, ArgAction, ArgMatches};

/// The body the flags describe.
#[derive(Debug)]
pub struct UserFlags(pub NewOemUser);

impl clap::FromArgMatches for UserFlags {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut user = NewOemUser::blank();
        for field in NewOemUser::FIELDS {
            let values = matches.get_many::<String>(field.name).into_iter().flatten();
            for value in values {
                if field.shape == Shape::TextList {
                    user.push_item(field.name, value.clone());
                } else {
                    user.set_text(field.name, value.clone());
                }
            }
        }
        Ok(UserFlags(user))
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl clap::Args for UserFlags {
    fn augment_args(command: clap::Command) -> clap::Command {
        NewOemUser::FIELDS
            .iter()
            .fold(command, |command, field| command.arg(flag(field)))
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        Self::augment_args(command)
    }
}

fn flag(field: &'static Field) -> Arg {
    let arg = Arg::new(field.name)
        .long(field.flag)
        .help(field.summary())
        .long_help(field.description);
    match (field.shape, field.item_flag) {
        (Shape::TextList, Some(item)) => arg
            .action(ArgAction::Append)
            .value_name("ITEM")
            .visible_alias(item),
        _ => arg
            .action(ArgAction::Set)
            .value_name("TEXT")
            .required(field.required),
    }
}
