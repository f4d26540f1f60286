// The names upstream's nag.rs has in scope that its query functions use (its own `use` lines).
use diesel::prelude::*;

use crate::domain::github::{GitHubUser, Issue, IssueComment};
use crate::domain::rfcbot::{FcpConcern, FcpProposal, FcpReviewRequest, FeedbackRequest, Poll, PollResponseRequest};
use crate::domain::schema::{fcp_concern, fcp_proposal, fcp_review_request, githubuser, issue, issuecomment, poll, poll_response_request};
use crate::error::{DashError, DashResult};
use crate::DB_POOL;
