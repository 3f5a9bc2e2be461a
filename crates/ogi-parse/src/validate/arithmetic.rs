//! The one evaluator of the template's identities (template.toml `identity`). The
//! reader asks it which reading of a layout, and which split of glued digits, the
//! table's own arithmetic allows; `validate` asks it which identities a report breaks.
//! Both see a table as a dense grid of value rows × columns in template order, so the
//! identities are expanded to index lists once per table and era.

use crate::template::TemplateEra;
use crate::template::{template, IdentitySpec, Per, RowKind};
use std::sync::OnceLock;

/// A table's cells: `grid[row][column]`, None where the value is not known.
pub type Grid = Vec<Vec<Option<i64>>>;

#[derive(Debug, Clone)]
struct Rule {
    id: &'static str,
    code: &'static str,
    per: Per,
    sum: Vec<usize>,
    equals: Vec<usize>,
}

/// One instance of an identity whose every term is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub id: &'static str,
    pub code: &'static str,
    pub per: Per,
    /// The row (per row) or column (per column) it was evaluated in.
    pub at: usize,
    pub lhs: i64,
    pub rhs: i64,
}

impl Check {
    pub fn holds(&self) -> bool {
        self.lhs == self.rhs
    }
}

/// A table's identities, expanded for one era's rows.
#[derive(Debug, Clone)]
pub struct Arithmetic {
    pub rows: Vec<&'static str>,
    pub cols: Vec<&'static str>,
    rules: Vec<Rule>,
}

/// Verdict of a grid: instances that hold and that fail.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    pub holds: usize,
    pub fails: usize,
}

impl Arithmetic {
    /// Table 三 of an era: its value rows (requests and outcomes) in template order.
    pub fn table3(era: TemplateEra) -> Arithmetic {
        let t = template();
        let specs: Vec<_> =
            t.requests.row.iter().filter(|r| r.in_era(era) && r.kind != RowKind::Header).collect();
        let rows: Vec<&'static str> = specs.iter().map(|r| r.id.as_str()).collect();
        let kinds: Vec<RowKind> = specs.iter().map(|r| r.kind).collect();
        let cols: Vec<&'static str> = t.requests.columns.iter().map(String::as_str).collect();
        let rules = expand(&t.requests.identity, &rows, &kinds, &cols);
        Arithmetic { rows, cols, rules }
    }

    /// Table 三's identities for an era, expanded once per process (every report asks).
    pub fn of_table3(era: TemplateEra) -> &'static Arithmetic {
        static T2019: OnceLock<Arithmetic> = OnceLock::new();
        static T2021: OnceLock<Arithmetic> = OnceLock::new();
        match era {
            TemplateEra::Y2019 => T2019.get_or_init(|| Arithmetic::table3(TemplateEra::Y2019)),
            TemplateEra::Y2021 => T2021.get_or_init(|| Arithmetic::table3(TemplateEra::Y2021)),
        }
    }

    /// Table 四's identities, expanded once per process.
    pub fn of_table4() -> &'static Arithmetic {
        static T: OnceLock<Arithmetic> = OnceLock::new();
        T.get_or_init(Arithmetic::table4)
    }

    /// Table 四: the proceedings are its rows, the results its columns.
    pub fn table4() -> Arithmetic {
        let t = template();
        let rows: Vec<&'static str> = t.litigation.proceedings.iter().map(String::as_str).collect();
        let kinds = vec![RowKind::Request; rows.len()];
        let cols: Vec<&'static str> = t.litigation.results.iter().map(String::as_str).collect();
        let rules = expand(&t.litigation.identity, &rows, &kinds, &cols);
        Arithmetic { rows, cols, rules }
    }

    pub fn row_index(&self, id: &str) -> Option<usize> {
        self.rows.iter().position(|r| *r == id)
    }

    /// Every identity instance whose terms are all known in `grid`.
    pub fn checks(&self, grid: &Grid) -> Vec<Check> {
        let mut out = Vec::new();
        for rule in &self.rules {
            let outer = match rule.per {
                Per::Row => self.rows.len(),
                Per::Column => self.cols.len(),
            };
            for at in 0..outer {
                if let Some((lhs, rhs)) = rule.sides(grid, at) {
                    out.push(Check { id: rule.id, code: rule.code, per: rule.per, at, lhs, rhs });
                }
            }
        }
        out
    }

    /// The column the per-row identities total into (table 三's 总计), if there is one.
    pub fn total_col(&self) -> Option<usize> {
        let mut totals = self.rules.iter().filter(|r| r.per == Per::Row).map(|r| r.equals.as_slice());
        match (totals.next(), totals.next()) {
            (Some([only]), None) => Some(*only),
            _ => None,
        }
    }

    /// Whether one row's cells satisfy every per-row identity (a row read alone, before
    /// it is placed in the table: glued digits, a run longer than the row).
    pub fn row_holds(&self, cells: &[i64]) -> bool {
        let grid: Grid = vec![cells.iter().copied().map(Some).collect()];
        self.rules.iter().filter(|r| r.per == Per::Row).all(|r| r.sides(&grid, 0).is_none_or(|(l, r)| l == r))
    }

    /// The two sides of every evaluable instance, without building `Check`s: scoring
    /// runs for every reading and every glued-digit combination.
    fn sides<'a>(&'a self, grid: &'a Grid) -> impl Iterator<Item = (i64, i64)> + 'a {
        self.rules.iter().flat_map(move |rule| {
            let outer = match rule.per {
                Per::Row => self.rows.len(),
                Per::Column => self.cols.len(),
            };
            (0..outer).filter_map(move |at| rule.sides(grid, at))
        })
    }

    /// How many identity instances fail in `grid`.
    pub fn fails(&self, grid: &Grid) -> usize {
        self.sides(grid).filter(|(l, r)| l != r).count()
    }

    pub fn score(&self, grid: &Grid) -> Score {
        let mut s = Score::default();
        for (l, r) in self.sides(grid) {
            if l == r {
                s.holds += 1;
            } else {
                s.fails += 1;
            }
        }
        s
    }

    /// Failed instances that involve row `row` (a per-row rule in that row, or a
    /// per-column rule naming it).
    pub fn fails_touching(&self, grid: &Grid, row: usize) -> usize {
        let mut n = 0;
        for rule in &self.rules {
            let involved = match rule.per {
                Per::Row => true,
                Per::Column => rule.sum.contains(&row) || rule.equals.contains(&row),
            };
            if !involved {
                continue;
            }
            let ats: Vec<usize> = match rule.per {
                Per::Row => vec![row],
                Per::Column => (0..self.cols.len()).collect(),
            };
            for at in ats {
                if let Some((l, r)) = rule.sides(grid, at) {
                    n += usize::from(l != r);
                }
            }
        }
        n
    }
}

impl Rule {
    /// The two sides of the rule in row or column `at`, when every term is known.
    fn sides(&self, grid: &Grid, at: usize) -> Option<(i64, i64)> {
        let cell = |k: usize| match self.per {
            Per::Row => grid.get(at)?.get(k).copied().flatten(),
            Per::Column => grid.get(k)?.get(at).copied().flatten(),
        };
        // Checked: a hostile file's cells may be near i64::MAX (an overflow is no check).
        let total = |terms: &[usize]| terms.iter().try_fold(0i64, |acc, &k| acc.checked_add(cell(k)?));
        Some((total(&self.sum)?, total(&self.equals)?))
    }
}

/// Names → indices; "kind:outcome" → the era's outcome rows the identity does not name.
fn expand(specs: &'static [IdentitySpec], rows: &[&str], kinds: &[RowKind], cols: &[&str]) -> Vec<Rule> {
    let mut out = Vec::new();
    for s in specs {
        let names: &[&str] = match s.per {
            Per::Row => cols,
            Per::Column => rows,
        };
        let named: Vec<&str> = s.sum.iter().chain(&s.equals).map(String::as_str).collect();
        let resolve = |terms: &[String]| -> Vec<usize> {
            let mut idx = Vec::new();
            for term in terms {
                if let Some(kind) = term.strip_prefix("kind:") {
                    for (k, name) in names.iter().enumerate() {
                        let of_kind = kinds.get(k).is_some_and(|rk| kind_name(*rk) == kind);
                        if s.per == Per::Column && of_kind && !named.contains(name) {
                            idx.push(k);
                        }
                    }
                } else if let Some(k) = names.iter().position(|n| n == term) {
                    idx.push(k);
                }
            }
            idx
        };
        let (sum, equals) = (resolve(&s.sum), resolve(&s.equals));
        // An identity naming rows this era lacks does not apply to it.
        let all_named =
            s.sum.iter().chain(&s.equals).all(|t| t.starts_with("kind:") || names.contains(&t.as_str()));
        if all_named && !sum.is_empty() && !equals.is_empty() {
            out.push(Rule { id: s.id.as_str(), code: s.code.as_str(), per: s.per, sum, equals });
        }
    }
    out
}

fn kind_name(k: RowKind) -> &'static str {
    match k {
        RowKind::Request => "request",
        RowKind::Outcome => "outcome",
        RowKind::Header => "header",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(a: &Arithmetic, fill: i64) -> Grid {
        vec![vec![Some(fill); a.cols.len()]; a.rows.len()]
    }

    #[test]
    fn expands_per_era() {
        for (era, outcomes) in [(TemplateEra::Y2019, 19), (TemplateEra::Y2021, 21)] {
            let a = Arithmetic::table3(era);
            let rule = a.rules.iter().find(|r| r.id == "outcome_sum").expect("outcome_sum");
            assert_eq!(rule.sum.len(), outcomes, "era {era:?}");
            assert_eq!(rule.equals, vec![a.row_index("total_handled").expect("row")]);
        }
        let a = Arithmetic::table4();
        assert_eq!((a.rows.len(), a.cols.len()), (3, 5));
    }

    #[test]
    fn a_zero_table_holds_and_one_wrong_cell_fails_where_it_is_used() {
        let a = Arithmetic::table3(TemplateEra::Y2019);
        let mut g = full(&a, 0);
        let s = a.score(&g);
        assert_eq!(s.fails, 0);
        // 23 rows + 7 columns × 2 column identities
        assert_eq!(s.holds, 23 + 14);
        let granted = a.row_index("granted").expect("row");
        if let Some(c) = g.get_mut(granted).and_then(|r| r.get_mut(1)) {
            *c = Some(4);
        }
        let fails: Vec<&str> = a.checks(&g).into_iter().filter(|c| !c.holds()).map(|c| c.id).collect();
        // its row total and its column's outcome sum; the balance does not name it
        assert_eq!(fails, vec!["row_total", "outcome_sum"]);
        assert_eq!(a.fails_touching(&g, granted), 2);
        assert_eq!(a.fails(&g), 2);
        // the balance names new_received and holds; the failures are elsewhere
        assert_eq!(a.fails_touching(&g, a.row_index("new_received").expect("row")), 0);
    }

    #[test]
    fn sums_that_overflow_are_not_checks() {
        let a = Arithmetic::table4();
        let g: Grid = vec![vec![Some(i64::MAX), Some(i64::MAX), Some(0), Some(0), Some(1)]; 3];
        assert_eq!(a.score(&g), Score::default());
        assert!(a.row_holds(&[i64::MAX, 1, 0, 0, 0]));
    }

    #[test]
    fn unknown_cells_leave_instances_unevaluated() {
        let a = Arithmetic::table4();
        let mut g = full(&a, 1);
        assert_eq!(a.score(&g), Score { holds: 0, fails: 3 });
        for row in g.iter_mut() {
            if let Some(c) = row.get_mut(4) {
                *c = None;
            }
        }
        assert_eq!(a.score(&g), Score::default());
    }
}
