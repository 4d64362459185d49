//! Minimum-cost maximum flow by the primal-dual method (Dijkstra with potentials,
//! then a Dinic max flow on the zero-reduced-cost arcs).
//!
//! Why this algorithm (see docs/decisions/0001-min-cost-flow.md): the assignment
//! graph has few nodes (classes of entries, judges) but millions of arcs, small
//! non-negative integer costs and a large total flow. The number of phases is at
//! most the number of distinct source-sink distances, which is bounded by the
//! largest path cost (about a hundred here), while each phase moves as many units
//! as the zero-cost network allows. Plain successive shortest paths would need one
//! Dijkstra per unit of flow (200,000 of them in the benchmark).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Errors from building a flow network. They only arise from a bug in the model
/// builder, never from user data, but are typed so that nothing panics.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    #[error("cung {arc} tham chiếu nút {node} không tồn tại")]
    NodeOutOfRange { arc: usize, node: usize },
    #[error("cung {arc} có sức chứa hoặc chi phí âm")]
    NegativeArc { arc: usize },
    #[error("nguồn và đích phải là hai nút khác nhau, tồn tại trong mạng")]
    BadTerminals,
    #[error("mạng quá lớn để đánh chỉ số 32 bit")]
    TooLarge,
    #[error("chi phí cung quá lớn so với số nút")]
    CostTooLarge,
}

/// A directed network with non-negative costs, built arc by arc.
#[derive(Debug, Clone, Default)]
pub struct FlowNetwork {
    nodes: usize,
    tails: Vec<u32>,
    heads: Vec<u32>,
    caps: Vec<i64>,
    costs: Vec<i64>,
}

/// Result of [`FlowNetwork::min_cost_max_flow`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowSolution {
    /// Total flow from source to sink (maximum possible).
    pub flow: i64,
    /// Total cost of that flow (minimum among maximum flows).
    pub cost: i64,
    /// Flow on each arc, in the order the arcs were added.
    pub arc_flow: Vec<i64>,
    /// Number of primal-dual phases (for diagnostics and benchmarks).
    pub phases: u32,
}

impl FlowNetwork {
    pub fn new(nodes: usize) -> Self {
        Self {
            nodes,
            ..Self::default()
        }
    }

    pub fn node_count(&self) -> usize {
        self.nodes
    }

    pub fn arc_count(&self) -> usize {
        self.tails.len()
    }

    /// Adds an arc and returns its index. Validation happens in the solver.
    pub fn add_arc(&mut self, from: usize, to: usize, capacity: i64, cost: i64) -> usize {
        self.tails.push(u32::try_from(from).unwrap_or(u32::MAX));
        self.heads.push(u32::try_from(to).unwrap_or(u32::MAX));
        self.caps.push(capacity);
        self.costs.push(cost);
        self.tails.len() - 1
    }

    /// Sends as much flow as possible from `source` to `sink`, at minimum cost.
    pub fn min_cost_max_flow(&self, source: usize, sink: usize) -> Result<FlowSolution, FlowError> {
        let n = self.nodes;
        if source >= n || sink >= n || source == sink {
            return Err(FlowError::BadTerminals);
        }
        let m = self.tails.len();
        if n >= u32::MAX as usize || m.checked_mul(2).is_none_or(|x| x >= u32::MAX as usize) {
            return Err(FlowError::TooLarge);
        }
        for a in 0..m {
            for node in [self.tails[a] as usize, self.heads[a] as usize] {
                if node >= n {
                    return Err(FlowError::NodeOutOfRange { arc: a, node });
                }
            }
            if self.caps[a] < 0 || self.costs[a] < 0 {
                return Err(FlowError::NegativeArc { arc: a });
            }
        }
        // Potentials stay within nodes × largest cost; keep far from overflow.
        let max_cost = self.costs.iter().copied().max().unwrap_or(0);
        if i128::from(max_cost) * (n as i128 + 1) * 16 > i128::from(i64::MAX) {
            return Err(FlowError::CostTooLarge);
        }
        let mut r = Residual::build(self);
        let phases = r.solve(source, sink);
        let mut arc_flow = vec![0i64; m];
        let mut cost = 0i64;
        for (a, slot) in arc_flow.iter_mut().enumerate() {
            // The reverse half of arc `a` holds its flow as residual capacity.
            let f = r.res[r.pos[2 * a + 1] as usize];
            *slot = f;
            cost = cost.saturating_add(f.saturating_mul(self.costs[a]));
        }
        let flow = arc_flow
            .iter()
            .enumerate()
            .filter(|(a, _)| self.tails[*a] as usize == source)
            .map(|(_, f)| *f)
            .sum::<i64>()
            - arc_flow
                .iter()
                .enumerate()
                .filter(|(a, _)| self.heads[*a] as usize == source)
                .map(|(_, f)| *f)
                .sum::<i64>();
        Ok(FlowSolution {
            flow,
            cost,
            arc_flow,
            phases,
        })
    }
}

/// Residual graph in compressed adjacency form: the half-arcs leaving node `u`
/// are `first[u]..first[u + 1]`; `rev[i]` is the position of the opposite half.
struct Residual {
    first: Vec<u32>,
    to: Vec<u32>,
    res: Vec<i64>,
    cost: Vec<i64>,
    rev: Vec<u32>,
    /// Position of half-arc `2a` (forward) and `2a + 1` (reverse) of input arc `a`.
    pos: Vec<u32>,
}

const INF: i64 = i64::MAX / 4;

impl Residual {
    fn build(net: &FlowNetwork) -> Self {
        let n = net.nodes;
        let m = net.tails.len();
        let mut first = vec![0u32; n + 1];
        for a in 0..m {
            first[net.tails[a] as usize + 1] += 1;
            first[net.heads[a] as usize + 1] += 1;
        }
        for u in 0..n {
            first[u + 1] += first[u];
        }
        let mut fill: Vec<u32> = first[..n].to_vec();
        let mut pos = vec![0u32; 2 * m];
        for a in 0..m {
            let t = net.tails[a] as usize;
            let h = net.heads[a] as usize;
            pos[2 * a] = fill[t];
            fill[t] += 1;
            pos[2 * a + 1] = fill[h];
            fill[h] += 1;
        }
        let mut to = vec![0u32; 2 * m];
        let mut res = vec![0i64; 2 * m];
        let mut cost = vec![0i64; 2 * m];
        let mut rev = vec![0u32; 2 * m];
        for a in 0..m {
            let f = pos[2 * a] as usize;
            let b = pos[2 * a + 1] as usize;
            to[f] = net.heads[a];
            to[b] = net.tails[a];
            res[f] = net.caps[a];
            res[b] = 0;
            cost[f] = net.costs[a];
            cost[b] = -net.costs[a];
            rev[f] = b as u32;
            rev[b] = f as u32;
        }
        Self {
            first,
            to,
            res,
            cost,
            rev,
            pos,
        }
    }

    /// Minimum-cost maximum flow by cost scaling: a maximum flow first (every cost 0),
    /// then the costs' bits one at a time from the top. With the costs of one scale
    /// halved to those of the next and the potentials doubled, only arcs that carry
    /// flow at reduced cost +1 break optimality; their flow is taken back and the
    /// resulting surpluses are routed to the deficits along shortest paths (primal-dual
    /// phases, see [`Residual::phases`]). Reduced costs are integers >= 0 before each
    /// phase, so every scale needs few phases: the count grows with the number of bits
    /// of the largest cost, not with its value.
    // Half-arc arrays are indexed side by side: a range loop reads clearest.
    #[allow(clippy::needless_range_loop)]
    fn solve(&mut self, s: usize, t: usize) -> u32 {
        let n = self.first.len() - 1;
        let full: Vec<i64> = self.cost.clone();
        let max_cost = full.iter().copied().max().unwrap_or(0);
        let bits = 64 - (max_cost.max(0) as u64).leading_zeros();
        let mut pot = vec![0i64; n];
        let mut excess = vec![0i64; n];
        let mut phases = 0u32;
        let mut ws = Workspace::new(n);
        // Scale `bits`: every cost is 0, so one phase finds a maximum flow.
        self.cost.fill(0);
        excess[s] = INF;
        excess[t] = -INF;
        phases += self.phases(&mut pot, &mut excess, &mut ws);
        excess.fill(0);
        for scale in (0..bits).rev() {
            for p in pot.iter_mut() {
                *p *= 2;
            }
            for (c, &f) in self.cost.iter_mut().zip(&full) {
                // Forward halves have f >= 0; reverse halves -(c >> scale) exactly.
                *c = if f >= 0 { f >> scale } else { -((-f) >> scale) };
            }
            // Flow on an arc whose reduced cost became positive (it was 0 and the new
            // bit is 1) is taken back. Arcs of cost 0 never qualify: their reduced
            // costs only doubled.
            for u in 0..n {
                for i in self.first[u] as usize..self.first[u + 1] as usize {
                    if full[i] <= 0 {
                        continue;
                    }
                    let r = self.rev[i] as usize;
                    let flow = self.res[r];
                    let v = self.to[i] as usize;
                    if flow > 0 && self.cost[i] + pot[u] - pot[v] > 0 {
                        self.res[i] += flow;
                        self.res[r] = 0;
                        excess[u] += flow;
                        excess[v] -= flow;
                    }
                }
            }
            phases += self.phases(&mut pot, &mut excess, &mut ws);
        }
        self.cost = full;
        phases
    }

    /// Primal-dual phases that route surpluses (`excess > 0`) to deficits (`< 0`) at
    /// minimum cost: Dijkstra on reduced costs from every surplus, stopped at the first
    /// deficit, raises the potentials; then a maximum flow from surpluses to deficits on
    /// the arcs of zero reduced cost. Ends when no deficit can be reached.
    fn phases(&mut self, pot: &mut [i64], excess: &mut [i64], ws: &mut Workspace) -> u32 {
        let n = pot.len();
        let mut phases = 0u32;
        loop {
            if !excess.iter().any(|&e| e > 0) || !excess.iter().any(|&e| e < 0) {
                return phases;
            }
            ws.dist.fill(INF);
            ws.done.fill(false);
            ws.heap.clear();
            for (v, &e) in excess.iter().enumerate() {
                if e > 0 {
                    ws.dist[v] = 0;
                    ws.heap.push(Reverse((0i64, v as u32)));
                }
            }
            let mut reached = None;
            while let Some(Reverse((d, u))) = ws.heap.pop() {
                let u = u as usize;
                if ws.done[u] || d > ws.dist[u] {
                    continue;
                }
                ws.done[u] = true;
                if excess[u] < 0 {
                    reached = Some(d);
                    break;
                }
                let pu = pot[u];
                for i in self.first[u] as usize..self.first[u + 1] as usize {
                    if self.res[i] <= 0 {
                        continue;
                    }
                    let v = self.to[i] as usize;
                    let nd = d + self.cost[i] + pu - pot[v];
                    if nd < ws.dist[v] {
                        ws.dist[v] = nd;
                        ws.heap.push(Reverse((nd, v as u32)));
                    }
                }
            }
            let Some(dt) = reached else {
                return phases;
            };
            phases += 1;
            for (v, p) in pot.iter_mut().enumerate() {
                *p += if ws.done[v] { ws.dist[v] } else { dt };
            }
            // Zero-reduced-cost half-arcs: every shortest path uses only these,
            // and pushing along one keeps its reverse at zero reduced cost.
            ws.zero_arcs.clear();
            for u in 0..n {
                ws.zero_first[u] = ws.zero_arcs.len() as u32;
                let pu = pot[u];
                for i in self.first[u] as usize..self.first[u + 1] as usize {
                    let v = self.to[i] as usize;
                    if self.cost[i] + pu - pot[v] == 0 {
                        ws.zero_arcs.push(i as u32);
                    }
                }
            }
            ws.zero_first[n] = ws.zero_arcs.len() as u32;
            self.dinic(excess, ws);
        }
    }

    /// Maximum flow from surpluses to deficits restricted to `ws.zero_arcs`.
    fn dinic(&mut self, excess: &mut [i64], ws: &mut Workspace) {
        let n = excess.len();
        let Workspace {
            zero_first,
            zero_arcs,
            level,
            cursor,
            queue,
            path,
            ..
        } = ws;
        loop {
            level.fill(-1);
            queue.clear();
            for (v, &e) in excess.iter().enumerate() {
                if e > 0 {
                    level[v] = 0;
                    queue.push(v as u32);
                }
            }
            let mut head = 0;
            let mut found = false;
            while head < queue.len() {
                let u = queue[head] as usize;
                head += 1;
                if excess[u] < 0 {
                    found = true;
                }
                for &i in &zero_arcs[zero_first[u] as usize..zero_first[u + 1] as usize] {
                    let i = i as usize;
                    let v = self.to[i] as usize;
                    if self.res[i] > 0 && level[v] < 0 {
                        level[v] = level[u] + 1;
                        queue.push(v as u32);
                    }
                }
            }
            if !found {
                return;
            }
            cursor[..n].copy_from_slice(&zero_first[..n]);
            let mut pushed_any = false;
            for s in 0..n {
                // Iterative blocking flow from surplus `s`: `path` holds the half-arcs
                // from s to the current node; dead ends are cut by level -1.
                path.clear();
                let mut u = s;
                while excess[s] > 0 && level[s] == 0 {
                    if u != s && excess[u] < 0 {
                        let mut push = excess[s].min(-excess[u]);
                        for &i in path.iter() {
                            push = push.min(self.res[i as usize]);
                        }
                        let mut cut = path.len();
                        for (k, &i) in path.iter().enumerate() {
                            let i = i as usize;
                            self.res[i] -= push;
                            let r = self.rev[i] as usize;
                            self.res[r] += push;
                            if self.res[i] == 0 && cut == path.len() {
                                cut = k;
                            }
                        }
                        excess[s] -= push;
                        excess[u] += push;
                        pushed_any |= push > 0;
                        if excess[u] < 0 && cut == path.len() {
                            // The deficit is not filled yet: go on from s.
                            cut = 0;
                        }
                        path.truncate(cut);
                        u = match path.last() {
                            Some(&i) => self.to[i as usize] as usize,
                            None => s,
                        };
                        continue;
                    }
                    let end = zero_first[u + 1];
                    let mut advanced = false;
                    while cursor[u] < end {
                        let i = zero_arcs[cursor[u] as usize] as usize;
                        let v = self.to[i] as usize;
                        if self.res[i] > 0 && level[v] == level[u] + 1 {
                            path.push(i as u32);
                            u = v;
                            advanced = true;
                            break;
                        }
                        cursor[u] += 1;
                    }
                    if advanced {
                        continue;
                    }
                    // Dead end: retreat.
                    level[u] = -1;
                    match path.pop() {
                        Some(i) => {
                            let back = self.rev[i as usize] as usize;
                            u = self.to[back] as usize;
                            cursor[u] += 1;
                        }
                        None => break,
                    }
                }
            }
            if !pushed_any {
                return;
            }
        }
    }
}

/// Buffers reused by every phase.
struct Workspace {
    dist: Vec<i64>,
    done: Vec<bool>,
    heap: BinaryHeap<Reverse<(i64, u32)>>,
    zero_first: Vec<u32>,
    zero_arcs: Vec<u32>,
    level: Vec<i32>,
    cursor: Vec<u32>,
    queue: Vec<u32>,
    path: Vec<u32>,
}

impl Workspace {
    fn new(n: usize) -> Self {
        Workspace {
            dist: vec![INF; n],
            done: vec![false; n],
            heap: BinaryHeap::new(),
            zero_first: vec![0; n + 1],
            zero_arcs: Vec::new(),
            level: vec![-1; n],
            cursor: vec![0; n],
            queue: Vec::with_capacity(n),
            path: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_small_network() {
        // Two routes from s to t; the cheap one has limited capacity.
        let mut g = FlowNetwork::new(4);
        let a = g.add_arc(0, 1, 2, 1);
        let b = g.add_arc(0, 2, 5, 4);
        let c = g.add_arc(1, 3, 5, 1);
        let d = g.add_arc(2, 3, 5, 1);
        let e = g.add_arc(1, 2, 1, 0);
        let sol = g.min_cost_max_flow(0, 3).unwrap();
        assert_eq!(sol.flow, 7);
        assert_eq!(sol.arc_flow[a], 2);
        assert_eq!(sol.arc_flow[b], 5);
        assert_eq!(sol.arc_flow[c], 2);
        assert_eq!(sol.arc_flow[d], 5);
        assert_eq!(sol.arc_flow[e], 0);
        assert_eq!(sol.cost, 2 + 20 + 2 + 5);
    }

    #[test]
    fn rerouting_through_reverse_arcs_is_found() {
        // Greedy would send s->1->2->t first; the optimum needs to undo it.
        let mut g = FlowNetwork::new(4);
        g.add_arc(0, 1, 1, 0);
        g.add_arc(0, 2, 1, 0);
        g.add_arc(1, 2, 1, 0);
        g.add_arc(1, 3, 1, 5);
        g.add_arc(2, 3, 1, 0);
        let sol = g.min_cost_max_flow(0, 3).unwrap();
        assert_eq!(sol.flow, 2);
        assert_eq!(sol.cost, 5);
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let mut g = FlowNetwork::new(2);
        g.add_arc(0, 5, 1, 0);
        assert!(matches!(
            g.min_cost_max_flow(0, 1),
            Err(FlowError::NodeOutOfRange { .. })
        ));
        let mut g = FlowNetwork::new(2);
        g.add_arc(0, 1, 1, -1);
        assert_eq!(
            g.min_cost_max_flow(0, 1),
            Err(FlowError::NegativeArc { arc: 0 })
        );
        assert_eq!(g.min_cost_max_flow(0, 0), Err(FlowError::BadTerminals));
        let mut g = FlowNetwork::new(2);
        g.add_arc(0, 1, 1, i64::MAX / 8);
        assert_eq!(g.min_cost_max_flow(0, 1), Err(FlowError::CostTooLarge));
    }

    #[test]
    fn disconnected_sink_gives_zero_flow() {
        let mut g = FlowNetwork::new(3);
        g.add_arc(0, 1, 4, 1);
        let sol = g.min_cost_max_flow(0, 2).unwrap();
        assert_eq!((sol.flow, sol.cost), (0, 0));
    }
}
