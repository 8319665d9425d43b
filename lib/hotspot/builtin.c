/*
 * The built-in hotspot classes. Every pattern is anchored so that it
 * matches whole function names only: a class never swallows a function
 * that merely contains a runtime name, and go tool pprof -focus given the
 * same pattern selects exactly the same frames (it also tries file and
 * mapping names, which start with '/' and so never match).
 *
 * Go names are those of Go 1.19's runtime and standard library as they
 * appear in profiles; C and C++ names are glibc's (including its __GI_ /
 * __libc_ internal aliases), tcmalloc's, jemalloc's and libstdc++'s, as
 * gperftools and perf-based profilers symbolize them.
 */
#include "hotspot/hotspot_internal.h"

/* Memory allocation: the allocator itself, and the calls that enter it. */
static const char *const alloc_patterns[] = {
	"^runtime\\.(mallocgc|newobject|newarray|makeslice|makeslicecopy|growslice|"
	"makemap|makemap_small|makechan|rawstring|rawstringtmp|rawbyteslice|rawruneslice|"
	"convT|convT16|convT32|convT64|convTstring|convTslice|convTnoptr|mallocgc\\.func\\d+)$",
	/* glibc malloc and its internal aliases; free is part of the cost in C */
	"^(__GI_|__libc_|__GI___libc_)?(malloc|calloc|realloc|reallocarray|free|cfree|memalign|"
	"posix_memalign|aligned_alloc|valloc|pvalloc)$",
	"^(_int_malloc|_int_free|_int_realloc|_int_memalign|malloc_consolidate|sysmalloc|"
	"tcache_init|tcache_get|tcache_put|malloc_hook_ini|ptmalloc_init|arena_get2)$",
	/* C++ operator new/delete, demangled with or without their arguments */
	"^operator (new|delete)(\\[\\])?(\\(.*\\))?$",
	/* tcmalloc (gperftools and Google's) */
	"^(tc_(malloc|calloc|realloc|free|new|newarray|delete|deletearray|memalign|"
	"posix_memalign|malloc_skip_new_handler|new_nothrow|newarray_nothrow)|tcmalloc::.*|"
	"\\(anonymous namespace\\)::do_(malloc|free|calloc|realloc|memalign).*)$",
	/* jemalloc */
	"^(je_[a-z_]*alloc[a-z_]*|je_free|je_sdallocx|mallocx|rallocx|xallocx|sallocx|dallocx|"
	"sdallocx|nallocx|(je_)?(i|arena_|tcache_)(malloc|alloc|dalloc|ralloc|calloc)[a-z_]*)$",
	NULL,
};

/* Go's garbage collector: marking, sweeping, assists, write barriers. */
static const char *const gc_patterns[] = {
	"^runtime\\.(GC|gc[A-Z][A-Za-z0-9_]*(\\.func\\d+)?|gcmarknewobject|markroot[A-Za-z]*|"
	"markroot\\.func\\d+|scanobject|scanblock|scanstack(\\.func\\d+)?|scanframeworker|"
	"scanConservative|greyobject|shade|bgsweep|bgscavenge|sweepone|deductSweepCredit|"
	"finishsweep_m|wbBufFlush|wbBufFlush1|wbBufFlush\\.func\\d+|bulkBarrierPreWrite|"
	"bulkBarrierPreWriteSrcOnly|gcWriteBarrier[A-Z0-9]*)$",
	"^runtime\\.\\((\\*gcWork|\\*gcControllerState|\\*sweepLocked|\\*sweepLocker|"
	"\\*activeSweep|\\*gcCPULimiterState)\\)\\..*$",
	NULL,
};

/* System calls and the I/O paths that wrap them. */
static const char *const syscall_patterns[] = {
	/*
	 * Go's syscall package and x/sys/unix as a whole: nearly every
	 * function in them is a wrapper on the way to Syscall (syscall.write,
	 * syscall.Read, unix.Fsync, ...), so the path from internal/poll down
	 * is marked without a gap. Their few helpers that make no call
	 * (Getenv, string conversions) are cheap and seldom sampled.
	 */
	"^syscall\\..*$",
	"^(vendor/)?golang\\.org/x/sys/unix\\..*$",
	"^internal/syscall/unix\\..*$",
	"^runtime/internal/syscall\\.(Raw)?Syscall[0-9]*$",
	"^internal/poll\\..*$",
	"^runtime\\.(epollwait|epollctl|epollcreate1?|futex|entersyscall|entersyscallblock|"
	"exitsyscall|reentersyscall|madvise|mmap|munmap|sysMmap|sysMunmap|read|write1|write|"
	"open|closefd|pipe2?|tgkill|osyield|rtsigprocmask|sigprocmask|setitimer|timer_settime|"
	"clone|nanosleep)$",
	/* glibc system call wrappers under their public and internal names */
	"^(__GI_|__libc_|__GI___libc_|__|__GI___)?(read|write|pread|pread64|pwrite|pwrite64|"
	"readv|writev|preadv|pwritev|send|sendto|sendmsg|sendmmsg|recv|recvfrom|recvmsg|"
	"recvmmsg|accept|accept4|connect|open|open64|openat|openat64|close|poll|ppoll|select|"
	"pselect|pselect6|epoll_wait|epoll_pwait|epoll_ctl|fsync|fdatasync|ioctl|fcntl|fcntl64|"
	"lseek|lseek64|stat|fstat|lstat|fstatat|statx|getdents64|nanosleep|clock_nanosleep|"
	"sched_yield|mmap|mmap64|munmap|mprotect|madvise|syscall|futex|sendfile|splice)"
	"(_nocancel)?$",
	"^(__syscall_cancel|__syscall_cancel_arch|__internal_syscall_cancel|"
	"entry_SYSCALL_64.*|do_syscall_64|__x64_sys_.*|__arm64_sys_.*|ksys_.*)$",
	NULL,
};

/* Mutexes, reader/writer locks, semaphores, condition variables. */
static const char *const lock_patterns[] = {
	"^sync\\.\\(\\*(Mutex|RWMutex)\\)\\.(Lock|Unlock|RLock|RUnlock|TryLock|TryRLock|"
	"lockSlow|unlockSlow|rUnlockSlow|RLocker)$",
	"^sync\\.(\\(\\*Cond\\)\\.Wait|runtime_(SemacquireMutex|SemacquireRWMutexR?|Semacquire|"
	"Semrelease|notifyListWait))$",
	"^runtime\\.(lock|lock2|lockWithRank|unlock|unlock2|unlockWithRank|semacquire[0-9]*|"
	"semrelease[0-9]*)$",
	"^(__GI_|__|___)?(pthread_mutex_(lock|unlock|trylock|timedlock|clocklock)|"
	"pthread_rwlock_[a-z]+|pthread_spin_[a-z]+|pthread_cond_(wait|timedwait|clockwait|"
	"signal|broadcast))$",
	"^(__pthread_mutex_(un)?lock[a-z_]*|__pthread_cond_[a-z_]+|__pthread_rwlock_[a-z_]+|"
	"___pthread_[a-z_]+lock[a-z_]*|__lll_lock_wait(_private)?|__lll_lock_wake(_private)?|"
	"__lll_unlock_wake(_private)?|lll_mutex_lock_optimized|__futex_abstimed_wait[a-z_]*|"
	"futex_wait|futex_wake)$",
	"^(std::(__1::)?(mutex|shared_mutex|recursive_mutex|timed_mutex|condition_variable)::.*|"
	"absl::(lts_[0-9]+::)?(Mutex|CondVar)::.*)$",
	NULL,
};

/* The Go scheduler: finding work, parking and waking goroutines and threads. */
static const char *const sched_patterns[] = {
	"^runtime\\.(schedule|findrunnable|findRunnable|park_m|mcall|gopark|goparkunlock|"
	"goready|ready|usleep|stopm|startm|mPark|notesleep|notetsleep|notetsleepg|"
	"notetsleep_internal|notewakeup|futexsleep|futexwakeup|wakep|gosched_m|goschedImpl|"
	"gopreempt_m|preemptPark|goexit0|checkTimers|runqgrab|runqsteal|stealWork|handoffp|"
	"retake|sysmon|gcstopm|execute|resetspinning|injectglist|netpollBreak|Gosched|"
	"goyield|goyield_m|exitsyscall0|entersyscallblock_handoff)$",
	NULL,
};

const hs_builtin cv_hotspot_builtins[] = {
	{"alloc", "#1f77b4", alloc_patterns},
	{"gc", "#2ca02c", gc_patterns},
	{"syscall", "#9467bd", syscall_patterns},
	{"lock", "#e377c2", lock_patterns},
	{"sched", "#17becf", sched_patterns},
	{NULL, NULL, NULL},
};
