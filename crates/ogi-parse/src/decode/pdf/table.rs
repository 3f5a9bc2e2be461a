//! A bordered table from its ruling lines: the lines that touch one another make one
//! table; the distinct x of its vertical lines and y of its horizontal ones make a
//! grid; two neighbouring slots of the grid with no line between them are one cell
//! (a merged cell, colspan or rowspan). This is how a reader sees the table, and it
//! is exact where the text alone is a guess: a cell's glyphs belong to it by position.

use super::page::Rule;

/// Lines closer than this (points) are the same line drawn twice (a cell's border and
/// its neighbour's), and a line ending this close to another touches it.
const SNAP: f64 = 2.0;

/// A slot narrower or lower than this is the gap between a double border, not a cell.
const MIN_SLOT: f64 = 3.0;

/// A table: its grid lines and its cells as rectangles of grid slots.
#[derive(Debug, Clone)]
pub struct Table {
    /// Grid column edges, left to right.
    pub xs: Vec<f64>,
    /// Grid row edges, top to bottom.
    pub ys: Vec<f64>,
    /// Cells in reading order (top row first, then left to right).
    pub cells: Vec<Span>,
}

/// A cell: the grid slots it covers, rows `r0..=r1`, columns `c0..=c1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub r0: usize,
    pub r1: usize,
    pub c0: usize,
    pub c1: usize,
}

impl Table {
    pub fn top(&self) -> f64 {
        self.ys.first().copied().unwrap_or(0.0)
    }
    pub fn bottom(&self) -> f64 {
        self.ys.last().copied().unwrap_or(0.0)
    }
    pub fn contains(&self, (x, y): (f64, f64)) -> bool {
        let (Some(&l), Some(&r)) = (self.xs.first(), self.xs.last()) else { return false };
        x >= l && x <= r && y >= self.top() && y <= self.bottom()
    }
    /// The cell a point falls in (an index into `cells`).
    pub fn cell_at(&self, (x, y): (f64, f64)) -> Option<usize> {
        let c = slot(&self.xs, x)?;
        let r = slot(&self.ys, y)?;
        self.cells.iter().position(|s| (s.r0..=s.r1).contains(&r) && (s.c0..=s.c1).contains(&c))
    }
}

/// The slot of a sorted list of edges that `v` falls in.
fn slot(edges: &[f64], v: f64) -> Option<usize> {
    let i = edges.partition_point(|&e| e <= v);
    (i >= 1 && i < edges.len()).then(|| i - 1)
}

/// The page's bordered tables, top to bottom.
pub fn tables(rules: &[Rule]) -> Vec<Table> {
    let (h, v) = merged(rules);
    let groups = touching(&h, &v);
    let mut out: Vec<Table> = groups.into_iter().filter_map(|(hs, vs)| grid(&hs, &vs)).collect();
    out.sort_by(|a, b| a.top().total_cmp(&b.top()));
    out
}

/// Horizontal and vertical lines with the pieces of one line (drawn cell by cell, or
/// twice) joined.
fn merged(rules: &[Rule]) -> (Vec<Rule>, Vec<Rule>) {
    let mut h: Vec<Rule> = rules.iter().filter(|r| (r.y0 - r.y1).abs() < f64::EPSILON).copied().collect();
    let mut v: Vec<Rule> =
        rules.iter().filter(|r| (r.x0 - r.x1).abs() < f64::EPSILON && r.y1 > r.y0).copied().collect();
    h.sort_by(|a, b| a.y0.total_cmp(&b.y0).then(a.x0.total_cmp(&b.x0)));
    v.sort_by(|a, b| a.x0.total_cmp(&b.x0).then(a.y0.total_cmp(&b.y0)));
    (join(h, true), join(v, false))
}

fn join(sorted: Vec<Rule>, horizontal: bool) -> Vec<Rule> {
    // (position across, start along, end along)
    let key = |r: &Rule| if horizontal { (r.y0, r.x0, r.x1) } else { (r.x0, r.y0, r.y1) };
    let mut rows: Vec<(f64, f64, f64)> = Vec::new();
    let mut lines: Vec<(f64, f64, f64)> = sorted.iter().map(key).collect();
    // Group by position across (within SNAP), then join overlapping runs along.
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        let base = lines.get(i).map_or(0.0, |l| l.0);
        while lines.get(j).is_some_and(|l| l.0 - base <= SNAP) {
            j += 1;
        }
        let mut group: Vec<(f64, f64, f64)> = lines.get(i..j).unwrap_or_default().to_vec();
        group.sort_by(|a, b| a.1.total_cmp(&b.1));
        let at = group.iter().map(|g| g.0).sum::<f64>() / group.len().max(1) as f64;
        let mut run: Option<(f64, f64)> = None;
        for g in group {
            run = match run {
                Some((s, e)) if g.1 <= e + SNAP => Some((s, e.max(g.2))),
                Some((s, e)) => {
                    rows.push((at, s, e));
                    Some((g.1, g.2))
                }
                None => Some((g.1, g.2)),
            };
        }
        if let Some((s, e)) = run {
            rows.push((at, s, e));
        }
        i = j.max(i + 1);
    }
    rows.into_iter()
        .map(|(at, s, e)| {
            if horizontal {
                Rule { x0: s, y0: at, x1: e, y1: at }
            } else {
                Rule { x0: at, y0: s, x1: at, y1: e }
            }
        })
        .collect()
}

/// Groups of lines that touch: each group is one table's frame.
fn touching(h: &[Rule], v: &[Rule]) -> Vec<(Vec<Rule>, Vec<Rule>)> {
    let n = h.len() + v.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while let Some(&up) = p.get(i) {
            if up == i {
                break;
            }
            let grand = p.get(up).copied().unwrap_or(up);
            if let Some(slot) = p.get_mut(i) {
                *slot = grand;
            }
            i = up;
        }
        i
    }
    for (i, a) in h.iter().enumerate() {
        for (j, b) in v.iter().enumerate() {
            let meet =
                b.x0 >= a.x0 - SNAP && b.x0 <= a.x1 + SNAP && a.y0 >= b.y0 - SNAP && a.y0 <= b.y1 + SNAP;
            if meet {
                let (ra, rb) = (find(&mut parent, i), find(&mut parent, h.len() + j));
                if let Some(slot) = parent.get_mut(ra) {
                    *slot = rb;
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Rule>, Vec<Rule>)> = Default::default();
    for i in 0..n {
        let root = find(&mut parent, i);
        let g = groups.entry(root).or_default();
        if let Some(r) = h.get(i) {
            g.0.push(*r);
        } else if let Some(r) = v.get(i - h.len()) {
            g.1.push(*r);
        }
    }
    groups.into_values().filter(|(hs, vs)| hs.len() >= 2 && vs.len() >= 2).collect()
}

/// Sorted distinct positions, those within SNAP of each other taken as one; slots
/// thinner than MIN_SLOT (a double border) collapse into one edge.
fn edges(mut at: Vec<f64>) -> Vec<f64> {
    at.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::new();
    for a in at {
        match out.last() {
            Some(&l) if a - l < MIN_SLOT => {}
            _ => out.push(a),
        }
    }
    out
}

/// A frame's grid and cells. None when the lines do not enclose a single slot.
fn grid(hs: &[Rule], vs: &[Rule]) -> Option<Table> {
    let xs = edges(vs.iter().map(|r| r.x0).collect());
    let ys = edges(hs.iter().map(|r| r.y0).collect());
    let (nr, nc) = (ys.len().checked_sub(1)?, xs.len().checked_sub(1)?);
    if nr == 0 || nc == 0 || nr.saturating_mul(nc) > 20_000 {
        return None;
    }
    let near = |a: f64, b: f64| (a - b).abs() <= SNAP + MIN_SLOT / 2.0;
    // Is there a vertical line at x over the middle of the slot between y0 and y1?
    let wall = |x: f64, y0: f64, y1: f64| {
        let mid = (y0 + y1) / 2.0;
        vs.iter().any(|r| near(r.x0, x) && r.y0 <= mid && r.y1 >= mid)
    };
    let floor = |y: f64, x0: f64, x1: f64| {
        let mid = (x0 + x1) / 2.0;
        hs.iter().any(|r| near(r.y0, y) && r.x0 <= mid && r.x1 >= mid)
    };
    let idx = |r: usize, c: usize| r * nc + c;
    let mut parent: Vec<usize> = (0..nr * nc).collect();
    let find = |p: &mut Vec<usize>, mut i: usize| {
        while let Some(&up) = p.get(i) {
            if up == i {
                break;
            }
            i = up;
        }
        i
    };
    for r in 0..nr {
        for c in 0..nc {
            let (y0, y1) = (ys.get(r).copied()?, ys.get(r + 1).copied()?);
            let (x0, x1) = (xs.get(c).copied()?, xs.get(c + 1).copied()?);
            if c + 1 < nc && !wall(x1, y0, y1) {
                let (a, b) = (find(&mut parent, idx(r, c)), find(&mut parent, idx(r, c + 1)));
                if a != b {
                    *parent.get_mut(a.max(b))? = a.min(b);
                }
            }
            if r + 1 < nr && !floor(y1, x0, x1) {
                let (a, b) = (find(&mut parent, idx(r, c)), find(&mut parent, idx(r + 1, c)));
                if a != b {
                    *parent.get_mut(a.max(b))? = a.min(b);
                }
            }
        }
    }
    let mut spans: std::collections::BTreeMap<usize, Span> = Default::default();
    for r in 0..nr {
        for c in 0..nc {
            let root = find(&mut parent, idx(r, c));
            spans
                .entry(root)
                .and_modify(|s| {
                    s.r0 = s.r0.min(r);
                    s.r1 = s.r1.max(r);
                    s.c0 = s.c0.min(c);
                    s.c1 = s.c1.max(c);
                })
                .or_insert(Span { r0: r, r1: r, c0: c, c1: c });
        }
    }
    let mut cells: Vec<Span> = spans.into_values().collect();
    cells.sort_by_key(|s| (s.r0, s.c0));
    Some(Table { xs, ys, cells })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(y: f64, x0: f64, x1: f64) -> Rule {
        Rule { x0, y0: y, x1, y1: y }
    }
    fn v(x: f64, y0: f64, y1: f64) -> Rule {
        Rule { x0: x, y0, x1: x, y1 }
    }

    #[test]
    fn a_cell_without_a_wall_between_spans_two_columns() {
        // Two rows, three columns; the top row's first two slots are one cell.
        let rules = vec![
            h(10.0, 0.0, 90.0),
            h(20.0, 0.0, 90.0),
            h(30.0, 0.0, 90.0),
            v(0.0, 10.0, 30.0),
            v(30.0, 20.0, 30.0),
            v(60.0, 10.0, 30.0),
            v(90.0, 10.0, 30.0),
        ];
        let t = tables(&rules);
        assert_eq!(t.len(), 1);
        let cells = &t[0].cells;
        assert_eq!(cells.len(), 5);
        assert_eq!(cells[0], Span { r0: 0, r1: 0, c0: 0, c1: 1 });
        assert_eq!(t[0].cell_at((45.0, 15.0)), Some(0));
        assert_eq!(t[0].cell_at((75.0, 25.0)), Some(4));
    }

    #[test]
    fn a_rule_drawn_in_pieces_is_one_line_and_lines_apart_are_two_tables() {
        let mut rules = vec![h(10.0, 0.0, 40.0), h(10.0, 40.5, 90.0), h(20.0, 0.0, 90.0)];
        rules.extend([v(0.0, 10.0, 20.0), v(90.0, 10.0, 20.0)]);
        rules.extend([h(100.0, 0.0, 50.0), h(110.0, 0.0, 50.0), v(0.0, 100.0, 110.0), v(50.0, 100.0, 110.0)]);
        let t = tables(&rules);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].cells.len(), 1);
        assert!(t[1].top() > t[0].bottom());
    }

    #[test]
    fn an_underline_is_not_a_table() {
        assert!(tables(&[h(10.0, 0.0, 90.0)]).is_empty());
    }
}
