//! The data set and the schedule, generated from a seed: delegates (Vietnamese names, job
//! titles, phones, emails) spread over the invited units, and for each delegate how they check
//! in to the opening session: scanned by a staff phone, by themselves with the room code, or
//! by an offline scanner whose batches of 100 are uploaded and then replayed twice. A share of
//! staff-scanned delegates is scanned again by another phone (people queue twice).

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Ma", "Triệu", "Hà", "Quan",
];
const MIDDLE: &[&str] = &[
    "Văn",
    "Thị",
    "Đức",
    "Thị Thu",
    "Minh",
    "Ngọc",
    "Quang",
    "Thị Hồng",
    "Xuân",
    "Thanh",
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Chi", "Dũng", "Duyên", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Huệ",
    "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Ngân", "Nhung", "Phong",
    "Phương", "Quyên", "Sơn", "Tâm", "Thảo", "Thắng", "Thủy", "Trang", "Tuấn", "Tuyết", "Vân",
    "Việt", "Yến",
];
const TITLES: &[&str] = &[
    "Bí thư Đoàn xã",
    "Phó Chủ tịch Hội Liên hiệp Phụ nữ",
    "Công chức Văn hóa – Xã hội",
    "Trưởng thôn",
    "Bí thư chi bộ",
    "Chuyên viên",
    "Phó Trưởng ban",
];

#[derive(Debug, Clone)]
pub struct Person {
    pub full_name: String,
    pub job_title: String,
    pub phone: String,
    pub email: String,
}

pub fn people(n: usize, seed: u64) -> Vec<Person> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Names are distinct too: the same name twice in a unit is the same person to hoithi.
    let mut taken = std::collections::HashSet::new();
    (0..n)
        .map(|i| {
            let mut name = String::new();
            for attempt in 0.. {
                name = format!(
                    "{} {} {}",
                    FAMILY.choose(&mut rng).unwrap_or(&"Nguyễn"),
                    MIDDLE.choose(&mut rng).unwrap_or(&"Văn"),
                    GIVEN.choose(&mut rng).unwrap_or(&"An")
                );
                if attempt >= 20 {
                    // A long list: a second given name, as some people have.
                    name = format!("{name} {}", GIVEN.choose(&mut rng).unwrap_or(&"An"));
                }
                if taken.insert(name.clone()) {
                    break;
                }
            }
            Person {
                full_name: name,
                job_title: TITLES.choose(&mut rng).unwrap_or(&"").to_string(),
                // Distinct, so that the duplicate-person check never fires.
                phone: format!("09{:08}", 10_000_000 + i),
                email: format!("daibieu{i}@bench.hoithi.test"),
            }
        })
        .collect()
}

/// How a delegate checks in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Way {
    Staff,
    SelfCode,
    Offline,
}

/// One thing to do at a time.
#[derive(Debug, Clone)]
pub enum Action {
    /// A staff phone scans a badge (one API call); `again` for a second scan of someone
    /// already scanned.
    Scan {
        delegate: usize,
        /// `staff-<phone>:<n>`.
        client_id: String,
        again: bool,
    },
    /// A delegate opens their link and checks in with the room code.
    SelfCode { delegate: usize },
    /// An offline scanner uploads a batch (`upload` 0 first, 1 and 2 the replays).
    Batch {
        upload: u8,
        items: Vec<(usize, String, f64)>,
    },
}

#[derive(Debug, Clone)]
pub struct Step {
    /// Seconds from the start.
    pub due: f64,
    pub action: Action,
}

pub struct Mix {
    pub staff: f64,
    pub self_code: f64,
    pub rescan: f64,
    pub batch_size: usize,
    pub staff_phones: usize,
    pub offline_phones: usize,
    pub replay_gap: f64,
}

/// The schedule: every delegate once by their way, in a random order over `seconds`, plus
/// re-scans and replays. Returns the steps sorted by due time and each delegate's way.
pub fn schedule(n: usize, seconds: f64, mix: &Mix, seed: u64) -> (Vec<Step>, Vec<Way>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let mut steps = Vec::new();
    let mut ways = Vec::with_capacity(n);
    let mut offline: Vec<Vec<(usize, f64)>> = vec![Vec::new(); mix.offline_phones.max(1)];
    let mut seq = vec![0usize; mix.staff_phones.max(1) + 1];
    // Arrivals rise and fall over the window (a triangle: most people at the middle).
    for delegate in 0..n {
        let t = seconds * (rng.random::<f64>() + rng.random::<f64>()) / 2.0;
        let r: f64 = rng.random();
        let way = if r < mix.staff {
            Way::Staff
        } else if r < mix.staff + mix.self_code {
            Way::SelfCode
        } else {
            Way::Offline
        };
        ways.push(way);
        match way {
            Way::Staff => {
                let phone = rng.random_range(0..mix.staff_phones.max(1));
                seq[phone] += 1;
                steps.push(Step {
                    due: t,
                    action: Action::Scan {
                        delegate,
                        client_id: format!("staff-{phone}:{}", seq[phone]),
                        again: false,
                    },
                });
                if rng.random::<f64>() < mix.rescan {
                    let other = (phone + 1) % mix.staff_phones.max(1);
                    seq[other] += 1;
                    steps.push(Step {
                        due: (t + rng.random_range(1.0..20.0)).min(seconds),
                        action: Action::Scan {
                            delegate,
                            client_id: format!("staff-{other}:{}", seq[other]),
                            again: true,
                        },
                    });
                }
            }
            Way::SelfCode => steps.push(Step {
                due: t,
                action: Action::SelfCode { delegate },
            }),
            Way::Offline => {
                let phone = rng.random_range(0..offline.len());
                offline[phone].push((delegate, t));
            }
        }
    }
    // Offline phones: scans in time order, uploaded by hundreds when full, the rest at the
    // end; each batch replayed twice.
    for (phone, mut scans) in offline.into_iter().enumerate() {
        scans.sort_by(|a, b| a.1.total_cmp(&b.1));
        for (k, chunk) in scans.chunks(mix.batch_size.max(1)).enumerate() {
            let last = chunk.last().map(|c| c.1).unwrap_or(0.0);
            let items: Vec<(usize, String, f64)> = chunk
                .iter()
                .enumerate()
                .map(|(i, (d, t))| {
                    (
                        *d,
                        format!("offline-{phone}:{}", k * mix.batch_size + i + 1),
                        *t,
                    )
                })
                .collect();
            for upload in 0..3u8 {
                steps.push(Step {
                    due: (last + 1.0 + mix.replay_gap * f64::from(upload)).min(seconds),
                    action: Action::Batch {
                        upload,
                        items: items.clone(),
                    },
                });
            }
        }
    }
    steps.sort_by(|a, b| a.due.total_cmp(&b.due));
    (steps, ways)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_delegate_checks_in_once_by_one_way() {
        let mix = Mix {
            staff: 0.5,
            self_code: 0.25,
            rescan: 0.05,
            batch_size: 100,
            staff_phones: 20,
            offline_phones: 5,
            replay_gap: 5.0,
        };
        let (steps, ways) = schedule(2000, 600.0, &mix, 7);
        assert_eq!(ways.len(), 2000);
        let mut seen = vec![0; 2000];
        for s in &steps {
            assert!((0.0..=600.0).contains(&s.due));
            match &s.action {
                Action::Scan {
                    delegate,
                    again: false,
                    ..
                }
                | Action::SelfCode { delegate } => seen[*delegate] += 1,
                Action::Batch {
                    items, upload: 0, ..
                } => {
                    assert!(items.len() <= 100);
                    for (d, _, _) in items {
                        seen[*d] += 1;
                    }
                }
                _ => {}
            }
        }
        assert!(seen.iter().all(|&c| c == 1));
        let p = people(50, 1);
        assert_eq!(p.len(), 50);
        assert_ne!(p[0].email, p[1].email);
    }
}
