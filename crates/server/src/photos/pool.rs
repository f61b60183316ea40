//! The photo decoders' own threads: a fixed number (CAREDESK_PHOTO_DECODERS), each at a
//! lower scheduling priority than the threads that answer requests, so decoding takes the
//! CPU the report API leaves idle instead of competing with it. Work queues in order.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, mpsc};

use thread_priority::ThreadPriority;
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

#[derive(Clone)]
pub struct DecoderPool {
    jobs: mpsc::Sender<Job>,
}

impl DecoderPool {
    /// Starts `threads` decoders (at least one); they end when the last clone is dropped.
    pub fn new(threads: usize) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("photo-decoder-{n}"))
                .spawn(move || {
                    if let Err(error) = lower_priority() {
                        tracing::warn!(%error, "photo decoders run at the requests' priority");
                    }
                    loop {
                        // the lock is held only by the thread waiting for the next job
                        let next = match queue.lock() {
                            Ok(queue) => queue.recv(),
                            Err(_) => return,
                        };
                        match next {
                            Ok(job) => job(),
                            Err(_) => return, // the server is gone
                        }
                    }
                })?;
        }
        Ok(Self { jobs })
    }

    /// Queues `work` at once; the future gives its result, or `None` if it panicked.
    pub fn start<T, F>(&self, work: F) -> impl Future<Output = Option<T>> + use<T, F>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let (done, answer) = oneshot::channel();
        let job: Job = Box::new(move || {
            // a request that gave up meanwhile (the client left, the time ran out) costs no
            // decoding
            if !done.is_closed() {
                let _ = done.send(catch_unwind(AssertUnwindSafe(work)).ok());
            }
        });
        let queued = self.jobs.send(job).is_ok();
        async move {
            if !queued {
                return None;
            }
            answer.await.ok().flatten()
        }
    }
}

/// Linux: SCHED_IDLE, the scheduler's policy for background work. A decoder runs only on
/// CPU time no request wants, and a thread answering a request that wakes up takes the CPU
/// from it at once (a lower nice value alone still let decoders hold a core for several
/// milliseconds at a time: the plain report's p95 tripled beside photo reports). On a
/// server kept fully busy photo reports wait, and time out, rather than slow every report.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn lower_priority() -> Result<(), thread_priority::Error> {
    use thread_priority::{
        NormalThreadSchedulePolicy, ThreadSchedulePolicy, set_thread_priority_and_policy,
        thread_native_id,
    };
    set_thread_priority_and_policy(
        thread_native_id(),
        ThreadPriority::Min,
        ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle),
    )
}

/// Elsewhere: the lowest priority the system gives a normal thread.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn lower_priority() -> Result<(), thread_priority::Error> {
    thread_priority::set_current_thread_priority(ThreadPriority::Min)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scheduling policy of the thread that reads it (Linux: field 41 of its stat
    /// line; 0 is SCHED_OTHER, 5 SCHED_IDLE).
    #[cfg(target_os = "linux")]
    fn own_policy() -> u32 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
        let after_name = stat.rsplit_once(") ").unwrap().1;
        after_name
            .split_whitespace()
            .nth(38)
            .unwrap()
            .parse()
            .unwrap()
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn decoders_run_only_on_cpu_time_that_requests_leave_idle() {
        let pool = DecoderPool::new(2).unwrap();
        let decoder = pool.start(own_policy).await.unwrap();
        assert_eq!(own_policy(), 0, "the test's own thread is a normal one");
        assert_eq!(decoder, 5, "SCHED_IDLE");
    }

    #[tokio::test]
    async fn a_panicking_job_gives_none_and_the_decoders_carry_on() {
        let pool = DecoderPool::new(1).unwrap();
        let panicked = pool.start(|| -> u32 { panic!("a hostile file") }).await;
        assert_eq!(panicked, None);
        let queued: Vec<_> = (0..4).map(|n| pool.start(move || n * 2)).collect();
        let mut results = Vec::new();
        for answer in queued {
            results.push(answer.await);
        }
        assert_eq!(results, [Some(0), Some(2), Some(4), Some(6)]);
    }
}
