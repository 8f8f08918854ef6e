//! The Applivery error codes and messages the mock answers with.

/// 401: no `Authorization` header, or not `Bearer <token>`.
pub const NO_AUTH_TOKEN: (i64, &str) = (4002, "No auth token");
/// 401: a bearer token the mock does not accept.
pub const INVALID_TOKEN: (i64, &str) = (4004, "Invalid Token");
/// 404: an organization the mock does not know (also unknown routes).
pub const ENTITY_NOT_FOUND: (i64, &str) = (3001, "Entity not found");
/// 400: an organization configured as blocked.
pub const FEATURE_BLOCKED: (i64, &str) = (5187, "Feature block by platform configuration");
/// 403: the email is already registered in the organization (compared case-insensitively).
pub const ALREADY_REGISTERED: (i64, &str) = (
    4009,
    "The operation can not be completed at this time. If you already registered an account with this email address, try to log-in",
);
/// 400: the body is not JSON, lacks `email`, or breaks a rule of the spec (or the organization id
/// breaks its pattern). An assumption: Applivery documents no code for this on the endpoint;
/// 6001 "Database Validation Error" is the validation error another endpoint of the same API
/// documents. The mock says which field in an `x-mock-detail` header.
pub const DATABASE_VALIDATION: (i64, &str) = (6001, "Database Validation Error");
/// The code of the mock's own `/__mock/*` routes' refusals (not an Applivery code).
pub const MOCK_REQUEST_CODE: i64 = 6001;
