//! A parsed pattern as a minimal deterministic automaton over classes of characters.
//!
//! The tree becomes a Thompson NFA (anchors are steps that pass only at the value's start or
//! end), wrapped in "any characters" on both sides because an ECMAScript pattern matches if any
//! part of the value does. Subset construction makes it deterministic, Moore's partition
//! refinement minimal, and characters that no state tells apart share one class. The result
//! is small for the patterns of an API spec; a pattern whose automaton is not fails to compile.

use std::collections::{BTreeMap, HashMap};

use super::syntax::{CharSet, Node, complement};

/// Bounds on the work and the table: a state must fit a `u8`.
const MAX_NFA_STEPS: usize = 50_000;
const MAX_DFA_STATES: usize = 20_000;
const MAX_STATES: usize = 255;

/// A deterministic automaton: the data of an `applivery_api::compiled_pattern::CompiledPattern`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub classes: Vec<(char, char, u8)>,
    pub class_count: u8,
    pub next: Vec<u8>,
    pub start: u8,
    pub first_accepting: u8,
}

enum Step {
    Chars(CharSet, usize),
    Split(Vec<usize>),
    AssertStart(usize),
    AssertEnd(usize),
    Match,
}

/// `node` (a whole pattern) as a minimal table, or why its table would be too large.
pub fn build(node: &Node) -> Result<Table, String> {
    let any = Node::Repeat {
        node: Box::new(Node::Chars(complement(&Vec::new()))),
        min: 0,
        max: None,
    };
    let search = Node::Concat(vec![any.clone(), node.clone(), any]);
    let mut nfa = Nfa {
        steps: vec![Step::Match],
    };
    let start = nfa.add(&search, 0)?;
    let classes = Classes::of(&nfa);
    let dfa = nfa.determinize(start, &classes)?;
    let (dfa, classes) = dfa.reachable().minimize().merge_classes(classes);
    dfa.into_table(&classes)
}

struct Nfa {
    steps: Vec<Step>,
}

impl Nfa {
    fn push(&mut self, step: Step) -> Result<usize, String> {
        if self.steps.len() >= MAX_NFA_STEPS {
            return Err("the pattern is too large for a table".into());
        }
        self.steps.push(step);
        Ok(self.steps.len() - 1)
    }

    /// Adds the steps of `node` followed by the step `next`, and returns the first.
    fn add(&mut self, node: &Node, next: usize) -> Result<usize, String> {
        Ok(match node {
            Node::Empty => next,
            Node::Chars(set) => self.push(Step::Chars(set.clone(), next))?,
            Node::Start => self.push(Step::AssertStart(next))?,
            Node::End => self.push(Step::AssertEnd(next))?,
            Node::Concat(items) => {
                let mut next = next;
                for item in items.iter().rev() {
                    next = self.add(item, next)?;
                }
                next
            }
            Node::Alternation(branches) => {
                let entries = branches
                    .iter()
                    .map(|branch| self.add(branch, next))
                    .collect::<Result<_, _>>()?;
                self.push(Step::Split(entries))?
            }
            Node::Repeat { node, min, max } => {
                let mut next = match max {
                    None => {
                        let repeat = self.push(Step::Split(Vec::new()))?;
                        let body = self.add(node, repeat)?;
                        self.steps[repeat] = Step::Split(vec![body, next]);
                        repeat
                    }
                    Some(max) => {
                        let mut optional = next;
                        for _ in *min..*max {
                            let body = self.add(node, optional)?;
                            optional = self.push(Step::Split(vec![body, next]))?;
                        }
                        optional
                    }
                };
                for _ in 0..*min {
                    next = self.add(node, next)?;
                }
                next
            }
        })
    }

    /// The steps that consume a character or wait for the end, reachable from `seeds` without
    /// consuming one; `None` when the match step is reachable (every value from here on
    /// matches, since the search ends in "any characters").
    fn closure(&self, seeds: &[usize], at_start: bool, at_end: bool) -> Option<Vec<usize>> {
        let mut seen = vec![false; self.steps.len()];
        let mut stack = seeds.to_vec();
        let mut kept = Vec::new();
        while let Some(step) = stack.pop() {
            if std::mem::replace(&mut seen[step], true) {
                continue;
            }
            match &self.steps[step] {
                Step::Match => return None,
                Step::Chars(..) => kept.push(step),
                Step::Split(next) => stack.extend(next.iter().rev()),
                Step::AssertStart(next) if at_start => stack.push(*next),
                Step::AssertEnd(next) if at_end => stack.push(*next),
                Step::AssertEnd(_) => kept.push(step),
                Step::AssertStart(_) => {}
            }
        }
        kept.sort_unstable();
        Some(kept)
    }

    fn determinize(&self, start: usize, classes: &Classes) -> Result<Dfa, String> {
        // State 0 refuses, state 1 accepts everything; the start state is never shared, as
        // only there does `^` pass.
        const DEAD: usize = 0;
        const ALL: usize = 1;
        let mut dfa = Dfa {
            class_count: classes.count,
            next: vec![DEAD; classes.count * 2],
            accepting: vec![false, true],
            start: 0,
        };
        dfa.next[classes.count..].fill(ALL);
        let mut sets: Vec<Vec<usize>> = vec![Vec::new(), Vec::new()];
        let mut known: HashMap<Vec<usize>, usize> = HashMap::new();
        known.insert(Vec::new(), DEAD);
        let mut add = |set: Option<Vec<usize>>, dfa: &mut Dfa, sets: &mut Vec<Vec<usize>>| {
            let Some(set) = set else { return Ok(ALL) };
            if let Some(&state) = known.get(&set) {
                return Ok(state);
            }
            if sets.len() >= MAX_DFA_STATES {
                return Err("the pattern's automaton has too many states".to_string());
            }
            known.insert(set.clone(), sets.len());
            sets.push(set);
            dfa.next.extend(std::iter::repeat_n(DEAD, classes.count));
            dfa.accepting.push(false);
            Ok(sets.len() - 1)
        };
        match self.closure(&[start], true, false) {
            None => dfa.start = ALL,
            Some(set) => {
                sets.push(set);
                dfa.next.extend(std::iter::repeat_n(DEAD, classes.count));
                dfa.accepting.push(false);
                dfa.start = sets.len() - 1;
            }
        }
        let mut state = 2;
        while state < sets.len() {
            let set = sets[state].clone();
            let at_start = state == dfa.start;
            dfa.accepting[state] = self.closure(&set, at_start, true).is_none();
            for class in 0..classes.count {
                let targets: Vec<usize> = set
                    .iter()
                    .filter_map(|&step| match &self.steps[step] {
                        Step::Chars(_, next) if classes.member[step][class] => Some(*next),
                        _ => None,
                    })
                    .collect();
                let target = add(self.closure(&targets, false, false), &mut dfa, &mut sets)?;
                dfa.next[state * classes.count + class] = target;
            }
            state += 1;
        }
        Ok(dfa)
    }
}

/// The characters split into classes that every `Chars` step takes whole or not at all.
struct Classes {
    count: usize,
    /// Each character range (inclusive) and its class, covering every character.
    ranges: Vec<(u32, u32, usize)>,
    /// `member[step][class]`: whether the `Chars` step `step` takes the class.
    member: Vec<Vec<bool>>,
}

impl Classes {
    fn of(nfa: &Nfa) -> Classes {
        let sets: Vec<(usize, &CharSet)> = nfa
            .steps
            .iter()
            .enumerate()
            .filter_map(|(i, step)| match step {
                Step::Chars(set, _) => Some((i, set)),
                _ => None,
            })
            .collect();
        let mut bounds = vec![0, 0x11_0000];
        for (_, set) in &sets {
            for &(low, high) in *set {
                bounds.extend([low, high + 1]);
            }
        }
        bounds.sort_unstable();
        bounds.dedup();
        let mut by_signature: BTreeMap<Vec<usize>, usize> = BTreeMap::new();
        let mut ranges = Vec::new();
        for pair in bounds.windows(2) {
            let (low, high) = (pair[0], pair[1] - 1);
            if low >= 0xD800 && high <= 0xDFFF {
                continue;
            }
            let signature: Vec<usize> = sets
                .iter()
                .filter(|(_, set)| set.iter().any(|&(l, h)| l <= low && high <= h))
                .map(|(i, _)| *i)
                .collect();
            let next = by_signature.len();
            let class = *by_signature.entry(signature).or_insert(next);
            ranges.push((low, high, class));
        }
        let mut member = vec![vec![false; by_signature.len()]; nfa.steps.len()];
        for (signature, class) in &by_signature {
            for &step in signature {
                member[step][*class] = true;
            }
        }
        Classes {
            count: by_signature.len(),
            ranges,
            member,
        }
    }
}

struct Dfa {
    class_count: usize,
    next: Vec<usize>,
    accepting: Vec<bool>,
    start: usize,
}

impl Dfa {
    fn states(&self) -> usize {
        self.accepting.len()
    }

    fn row(&self, state: usize) -> &[usize] {
        &self.next[state * self.class_count..(state + 1) * self.class_count]
    }

    /// The automaton without the states no value reaches (such as the one accepting
    /// everything, for an anchored pattern).
    fn reachable(&self) -> Dfa {
        let mut number = vec![None; self.states()];
        let mut order = vec![self.start];
        number[self.start] = Some(0);
        let mut index = 0;
        while index < order.len() {
            for &to in self.row(order[index]) {
                if number[to].is_none() {
                    number[to] = Some(order.len());
                    order.push(to);
                }
            }
            index += 1;
        }
        let renumber = |state: usize| number[state].expect("reached");
        Dfa {
            class_count: self.class_count,
            next: order
                .iter()
                .flat_map(|&state| self.row(state).iter().map(|&to| renumber(to)))
                .collect(),
            accepting: order.iter().map(|&state| self.accepting[state]).collect(),
            start: 0,
        }
    }

    /// The automaton with equivalent states merged (Moore's partition refinement).
    fn minimize(&self) -> Dfa {
        let mut block: Vec<usize> = self.accepting.iter().map(|&a| usize::from(a)).collect();
        let mut count = 0;
        loop {
            let mut ids: HashMap<(usize, Vec<usize>), usize> = HashMap::new();
            let refined: Vec<usize> = (0..self.states())
                .map(|state| {
                    let key = (
                        block[state],
                        self.row(state).iter().map(|&to| block[to]).collect(),
                    );
                    let next = ids.len();
                    *ids.entry(key).or_insert(next)
                })
                .collect();
            let stable = ids.len() == count;
            count = ids.len();
            block = refined;
            if stable {
                break;
            }
        }
        let mut next = vec![0; count * self.class_count];
        let mut accepting = vec![false; count];
        for state in 0..self.states() {
            let to = block[state];
            accepting[to] = self.accepting[state];
            for (class, &target) in self.row(state).iter().enumerate() {
                next[to * self.class_count + class] = block[target];
            }
        }
        Dfa {
            class_count: self.class_count,
            next,
            accepting,
            start: block[self.start],
        }
    }

    /// Merges the classes no state tells apart.
    fn merge_classes(self, classes: Classes) -> (Dfa, Vec<(u32, u32, usize)>) {
        let column = |class: usize| -> Vec<usize> {
            (0..self.states())
                .map(|state| self.next[state * self.class_count + class])
                .collect()
        };
        let mut kept: Vec<Vec<usize>> = Vec::new();
        let mut merged_into = Vec::new();
        for class in 0..self.class_count {
            let column = column(class);
            let index = kept.iter().position(|c| *c == column).unwrap_or_else(|| {
                kept.push(column);
                kept.len() - 1
            });
            merged_into.push(index);
        }
        let class_count = kept.len();
        let mut next = vec![0; self.states() * class_count];
        for (class, column) in kept.iter().enumerate() {
            for (state, &target) in column.iter().enumerate() {
                next[state * class_count + class] = target;
            }
        }
        let mut ranges: Vec<(u32, u32, usize)> = Vec::new();
        for (low, high, class) in classes.ranges {
            let class = merged_into[class];
            match ranges.last_mut() {
                Some(last) if last.2 == class && last.1 + 1 == low => last.1 = high,
                _ => ranges.push((low, high, class)),
            }
        }
        let dfa = Dfa {
            class_count,
            next,
            accepting: self.accepting,
            start: self.start,
        };
        (dfa, ranges)
    }

    /// The table: the refusing state first, then the other refusing states, then the accepting
    /// ones; class 0 is the one with the most ranges, which the table then need not list.
    fn into_table(self, ranges: &[(u32, u32, usize)]) -> Result<Table, String> {
        let dead = (0..self.states()).find(|&state| self.is_dead(state));
        let mut order: Vec<usize> = dead.into_iter().collect();
        order.extend((0..self.states()).filter(|&s| Some(s) != dead && !self.accepting[s]));
        let first_accepting = order.len() + usize::from(dead.is_none());
        order.extend((0..self.states()).filter(|&s| self.accepting[s]));
        let states = order.len() + usize::from(dead.is_none());
        if states > MAX_STATES {
            return Err(format!(
                "the pattern's automaton has {states} states, over the table's {MAX_STATES}"
            ));
        }
        // Without a refusing state, number from 1: state 0 must refuse.
        let offset = usize::from(dead.is_none());
        let mut number = vec![0; self.states()];
        for (index, &state) in order.iter().enumerate() {
            number[state] = index + offset;
        }
        let mut ranges_per_class = vec![0; self.class_count];
        for &(_, _, class) in ranges {
            ranges_per_class[class] += 1;
        }
        let default = (0..self.class_count)
            .max_by_key(|&class| (ranges_per_class[class], std::cmp::Reverse(class)))
            .unwrap_or(0);
        let class_number = |class: usize| match class {
            c if c == default => 0,
            c if c < default => c + 1,
            c => c,
        };
        let mut next = vec![0u8; states * self.class_count];
        for &state in &order {
            for (class, &target) in self.row(state).iter().enumerate() {
                next[number[state] * self.class_count + class_number(class)] =
                    u8::try_from(number[target]).expect("checked against MAX_STATES");
            }
        }
        let char_of = |c: u32| char::from_u32(c).expect("ranges skip the surrogates");
        let classes = ranges
            .iter()
            .filter(|&&(_, _, class)| class != default)
            .map(|&(low, high, class)| {
                let class = u8::try_from(class_number(class)).expect("at most 255 classes");
                (char_of(low), char_of(high), class)
            })
            .collect();
        let narrow = |n: usize| u8::try_from(n).map_err(|_| "too many classes".to_string());
        Ok(Table {
            classes,
            class_count: narrow(self.class_count)?,
            next,
            start: narrow(number[self.start])?,
            first_accepting: narrow(first_accepting)?,
        })
    }

    /// Whether no value can reach an accepting state from `state`.
    fn is_dead(&self, state: usize) -> bool {
        !self.accepting[state] && self.row(state).iter().all(|&to| to == state)
    }
}
