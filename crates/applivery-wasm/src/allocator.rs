//! The package's global allocator: power-of-two size classes, each with its own free list.
//!
//! Why not the usual ones: dlmalloc is 3.3 KB gzip of the package; lol_alloc keeps its free
//! list sorted, so each `alloc` and `free` walks it, and blocks stay alive between calls (an OEM
//! secret waits in wasm memory until JS garbage-collects its `OemSecret`). Measured in Node
//! against the release mock, one process, interleaved: lol_alloc 740, dlmalloc 704, this 685
//! us per create (median of 60 rounds of 100), with raw `fetch` at 605. Here `alloc` and
//! `dealloc` are O(1): a block is rounded up to a power of two (at least 16 bytes), a freed
//! block waits on its class's list for the next allocation of that class, and new blocks are
//! cut from pages the memory grows by.
//!
//! What that costs: up to half a block is padding, and memory freed in one class is reused only
//! by that class (wasm memory never shrinks anyway). The package's allocations are small and
//! repetitive (a call's strings, a response body under `maxResponseBytes`), so the classes in
//! use stay few. Single-threaded: the wasm32 target without the `atomics` feature has one thread.

// A global allocator cannot be written without it; the only module of the workspace that is.
#![allow(unsafe_code)]

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

/// A WebAssembly page: what the memory grows by.
pub const PAGE: usize = 64 * 1024;
/// The smallest block, 2^4 bytes: room for the free-list link on any target.
const MIN_SHIFT: u32 = 4;
/// Classes 2^4 ..= 2^31 bytes: beyond, no wasm32 memory could hold the block.
const CLASSES: usize = 28;

/// Where new pages come from: the wasm memory, or an arena in native tests.
pub trait Pages {
    /// Adds `count` pages; returns the address of the first, or `None` when there is no room.
    /// Consecutive grows are expected to be contiguous, but need not be.
    fn grow(&mut self, count: usize) -> Option<usize>;
}

/// The wasm module's linear memory.
#[cfg(target_arch = "wasm32")]
pub struct LinearMemory;

#[cfg(target_arch = "wasm32")]
impl Pages for LinearMemory {
    fn grow(&mut self, count: usize) -> Option<usize> {
        let previous = core::arch::wasm32::memory_grow(0, count);
        // usize::MAX: refused; a memory of 4 GiB would overflow the address.
        if previous == usize::MAX {
            return None;
        }
        previous.checked_mul(PAGE)
    }
}

/// The allocator; `SizeClasses::new(LinearMemory)` is the package's `#[global_allocator]`.
pub struct SizeClasses<P> {
    heap: UnsafeCell<Heap<P>>,
}

// One thread: the package's wasm target has no shared memory (see the module's docs).
unsafe impl<P> Sync for SizeClasses<P> {}

struct Heap<P> {
    pages: P,
    /// Per class, the first free block; each free block starts with the address of the next.
    free: [*mut u8; CLASSES],
    /// The unused rest of the last pages grown: `next..end`.
    next: usize,
    end: usize,
}

impl<P> SizeClasses<P> {
    pub const fn new(pages: P) -> Self {
        SizeClasses {
            heap: UnsafeCell::new(Heap {
                pages,
                free: [null_mut(); CLASSES],
                next: 0,
                end: 0,
            }),
        }
    }
}

/// The class of a layout and its block size; `None` when no block could hold it.
fn class(layout: Layout) -> Option<(usize, usize)> {
    let size = layout
        .size()
        .max(layout.align())
        .max(1 << MIN_SHIFT)
        .checked_next_power_of_two()?;
    let index = (size.trailing_zeros() - MIN_SHIFT) as usize;
    (index < CLASSES).then_some((index, size))
}

impl<P: Pages> Heap<P> {
    /// A new block of `size` bytes (a power of two), aligned to `size` up to a page: so any
    /// alignment a layout of this class asks for, up to a page, holds.
    fn cut(&mut self, size: usize) -> *mut u8 {
        let align = size.min(PAGE);
        loop {
            let start = self.next.checked_add(align - 1).map(|n| n & !(align - 1));
            if let Some(start) =
                start.filter(|start| start.checked_add(size).is_some_and(|stop| stop <= self.end))
            {
                self.next = start + size;
                return start as *mut u8;
            }
            // Enough pages for the block even if they do not follow the current ones.
            let count = size.div_ceil(PAGE);
            let Some(base) = self.pages.grow(count) else {
                return null_mut();
            };
            if base != self.end {
                self.next = base;
            }
            let Some(end) = base.checked_add(count * PAGE) else {
                return null_mut();
            };
            self.end = end;
        }
    }
}

unsafe impl<P: Pages> GlobalAlloc for SizeClasses<P> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // An alignment above a page is never asked for here; refusing it keeps `cut` simple.
        let Some((index, size)) = class(layout).filter(|_| layout.align() <= PAGE) else {
            return null_mut();
        };
        // SAFETY: one thread, and no allocation happens while this borrow lives.
        let heap = unsafe { &mut *self.heap.get() };
        let head = heap.free[index];
        if head.is_null() {
            return heap.cut(size);
        }
        // SAFETY: a free block of this class, whose first bytes `dealloc` wrote the link into.
        heap.free[index] = unsafe { head.cast::<*mut u8>().read() };
        head
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // The layout `alloc` succeeded with, so it has a class.
        let Some((index, _)) = class(layout) else {
            return;
        };
        // SAFETY: one thread; `ptr` is a block of this class (at least 16 bytes, aligned to at
        // least a pointer) that the caller no longer uses.
        let heap = unsafe { &mut *self.heap.get() };
        unsafe { ptr.cast::<*mut u8>().write(heap.free[index]) };
        heap.free[index] = ptr;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract: `new_size` rounded to `layout.align()` fits an isize.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // Still the same block size: nothing to move.
        if class(layout).map(|(index, _)| index) == class(new_layout).map(|(index, _)| index) {
            return ptr;
        }
        // SAFETY: as `GlobalAlloc::realloc`'s default, which this is otherwise.
        unsafe {
            let moved = self.alloc(new_layout);
            if !moved.is_null() {
                core::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            moved
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An arena standing in for the wasm memory: `capacity` pages, handed out in order.
    struct Arena {
        base: usize,
        used: usize,
        capacity: usize,
    }

    impl Arena {
        fn new(capacity: usize) -> Self {
            // Leaked: the blocks handed out point into it until the test ends.
            let memory: &'static mut [u8] = Vec::leak(vec![0u8; (capacity + 1) * PAGE]);
            let address = memory.as_mut_ptr() as usize;
            Arena {
                base: address.next_multiple_of(PAGE),
                used: 0,
                capacity,
            }
        }
    }

    impl Pages for Arena {
        fn grow(&mut self, count: usize) -> Option<usize> {
            if self.used + count > self.capacity {
                return None;
            }
            self.used += count;
            Some(self.base + (self.used - count) * PAGE)
        }
    }

    /// xorshift64: reproducible without a dependency.
    struct Random(u64);

    impl Random {
        fn below(&mut self, bound: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % bound as u64) as usize
        }
    }

    struct Live {
        ptr: *mut u8,
        layout: Layout,
        fill: u8,
    }

    fn check(live: &Live) {
        let bytes = unsafe { core::slice::from_raw_parts(live.ptr, live.layout.size()) };
        assert!(
            bytes.iter().all(|&b| b == live.fill),
            "a block was overwritten"
        );
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_kept_through_allocs_frees_and_reallocs() {
        let allocator = SizeClasses::new(Arena::new(2048));
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        let mut live: Vec<Live> = Vec::new();
        for step in 0..60_000 {
            match random.below(10) {
                0..=3 => {
                    // Mostly small, sometimes up to 300 KB; alignments 1 to 4096.
                    let size = if random.below(50) == 0 {
                        random.below(300_000) + 1
                    } else {
                        random.below(600)
                    };
                    let align = 1 << random.below(13);
                    let layout = Layout::from_size_align(size, align).unwrap();
                    let ptr = unsafe { allocator.alloc(layout) };
                    assert!(!ptr.is_null(), "out of memory at step {step}");
                    assert_eq!(ptr as usize % align, 0, "misaligned for {layout:?}");
                    let fill = (step % 251) as u8;
                    unsafe { ptr.write_bytes(fill, size) };
                    live.push(Live { ptr, layout, fill });
                }
                4..=7 if !live.is_empty() => {
                    let gone = live.swap_remove(random.below(live.len()));
                    check(&gone);
                    unsafe { allocator.dealloc(gone.ptr, gone.layout) };
                }
                8..=9 if !live.is_empty() => {
                    let index = random.below(live.len());
                    let old = &live[index];
                    check(old);
                    let new_size = random.below(2 * old.layout.size().min(150_000) + 64);
                    let ptr = unsafe { allocator.realloc(old.ptr, old.layout, new_size) };
                    assert!(!ptr.is_null());
                    let kept = old.layout.size().min(new_size);
                    let fill = old.fill;
                    let bytes = unsafe { core::slice::from_raw_parts(ptr, kept) };
                    assert!(
                        bytes.iter().all(|&b| b == fill),
                        "realloc lost the contents"
                    );
                    let layout = Layout::from_size_align(new_size, old.layout.align()).unwrap();
                    assert_eq!(ptr as usize % layout.align(), 0);
                    unsafe { ptr.write_bytes(fill, new_size) };
                    live[index] = Live { ptr, layout, fill };
                }
                _ => {}
            }
        }
        // No two live blocks overlap (each holds its own fill, checked, and ranges are disjoint).
        let mut ranges: Vec<(usize, usize)> = live
            .iter()
            .inspect(|block| check(block))
            .map(|block| (block.ptr as usize, block.ptr as usize + block.layout.size()))
            .collect();
        ranges.sort_unstable();
        assert!(ranges.windows(2).all(|pair| pair[0].1 <= pair[1].0));
    }

    #[test]
    fn a_freed_block_is_reused_by_its_class_before_memory_grows() {
        let allocator = SizeClasses::new(Arena::new(1));
        let layout = Layout::from_size_align(100, 8).unwrap();
        let first = unsafe { allocator.alloc(layout) };
        unsafe { allocator.dealloc(first, layout) };
        // 100 and 128 bytes share a class.
        let again = unsafe { allocator.alloc(Layout::from_size_align(128, 1).unwrap()) };
        assert_eq!(first, again);
        // Growing within the class keeps the block.
        let grown =
            unsafe { allocator.realloc(again, Layout::from_size_align(128, 1).unwrap(), 120) };
        assert_eq!(grown, again);
    }

    #[test]
    fn no_room_is_a_null_pointer_not_a_panic() {
        let allocator = SizeClasses::new(Arena::new(2));
        let big = Layout::from_size_align(3 * PAGE, 8).unwrap();
        assert!(unsafe { allocator.alloc(big) }.is_null());
        let page_aligned_beyond = Layout::from_size_align(8, 2 * PAGE).unwrap();
        assert!(unsafe { allocator.alloc(page_aligned_beyond) }.is_null());
        let huge = Layout::from_size_align(isize::MAX as usize - 4096, 8).unwrap();
        assert!(unsafe { allocator.alloc(huge) }.is_null());
        // What fits still does.
        let small = Layout::from_size_align(64, 8).unwrap();
        assert!(!unsafe { allocator.alloc(small) }.is_null());
    }

    #[test]
    fn pages_that_do_not_follow_start_a_new_run() {
        struct Gaps(Arena);
        impl Pages for Gaps {
            fn grow(&mut self, count: usize) -> Option<usize> {
                // Someone else took a page in between.
                self.0.grow(1)?;
                self.0.grow(count)
            }
        }
        let allocator = SizeClasses::new(Gaps(Arena::new(16)));
        let layout = Layout::from_size_align(40 * 1024, 8).unwrap();
        let a = unsafe { allocator.alloc(layout) } as usize;
        let b = unsafe { allocator.alloc(layout) } as usize;
        assert_ne!(a, 0);
        // The 64 KB class: `b` starts in the next run, after the foreign page.
        assert_eq!(b, a + 2 * PAGE);
    }
}
