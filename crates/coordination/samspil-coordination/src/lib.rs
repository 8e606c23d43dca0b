//! The coordination context's rules (KLIK): the community's projects and
//! tasks published to the municipalities, their statuses and answers, the
//! role gallery, files on tasks, and the messages and notifications that
//! reach people. Plain types and pure functions on the platform's kernel
//! (`samspil-domain`: organisations, people, access, validation).
//!
//! Nothing in this crate performs I/O; every rule is tested here without a
//! database, and the storage and web layers only apply it.

pub mod attachment;
pub mod calendar;
pub mod meeting;
pub mod notification;
pub mod period;
pub mod pipeline;
pub mod question;
pub mod role;
pub mod task;
pub mod task_audience;
pub mod task_list;

#[cfg(test)]
mod fuzz;
