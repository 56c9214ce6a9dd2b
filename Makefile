# SPDX-License-Identifier: GPL-2.0
#
# mapcheck: kernel mapping-API safety.
#
#   make            build checker/mapcheck
#   make scan       install what is missing, prepare Debian's 6.12 tree
#                   (x86_64, UML and the LLVM architectures), scan it, write
#                   out/report.{json,sarif,txt} (+ summary)
#   make scan SCAN_ARCHES="arm mips"   those architectures only ("none": none)
#   make check      every test suite (installs what is missing first), the
#                   PKS kernel boots included: what CI runs
#   make check SUITE="fixtures bad-input"   those suites only
#                   (tests/run-all.sh --list names them)
#   make check-quick    the suites that need no kernel build and no
#                   whole-tree scan: the edit-compile-test loop
#   make check-all  make check, with the coccicheck runs on both trees made
#                   again even when a run of the same inputs passed
#   make check-kernel   only the PKS kernel boot tests
#   make bench      mapcheck vs the Coccinelle scripts on the 6.12 tree
#                   (BENCH_FLAGS="--runs 3", see bench/bench.py --help)
#   make coccicheck KDIR=<tree> [MODE=report] [M=dir]
#   make install [PREFIX=/usr/local] [DESTDIR=]   bin/mapcheck,
#                   share/mapcheck/rules/, share/man/man1/mapcheck.1
#   make fuzz [T=target] [S=seconds]   the libFuzzer targets (tests/fuzz/),
#                   T (default all) for S seconds each (default 60)
#
# V=1 shows full commands.

SHELL := /bin/bash
Q := $(if $(filter 1,$(V)),,@)
JOBS ?= $(shell nproc)
OUT ?= out
SCAN_VERSION ?= 6.12

all: checker/mapcheck

checker/mapcheck: FORCE
	$(Q)$(MAKE) -s -C checker

deps:
	$(Q)scripts/install-deps.sh

trees: deps
	$(Q)scripts/prepare-tree.sh 6.1 um >/dev/null
	$(Q)scripts/prepare-tree.sh 6.12 um >/dev/null

scan: deps
	$(Q)mkdir -p $(OUT) && $(MAKE) -s -C checker >$(OUT)/build.log 2>&1 || \
		{ tail -n 20 $(OUT)/build.log; echo "make scan: building the checker failed; see $(OUT)/build.log"; exit 1; }
	$(Q)JOBS=$(JOBS) scripts/scan.sh $(OUT) $(SCAN_VERSION) "$(SCAN_ARCHES)"
	@echo "reports: $(OUT)/report.json $(OUT)/report.sarif $(OUT)/report.txt"

check: deps
	$(Q)tests/run-all.sh $(SUITE)

check-quick: deps
	$(Q)tests/run-all.sh --tier quick

check-all: deps
	$(Q)FULL=1 tests/run-all.sh

check-kernel: deps
	$(Q)tests/kernel/run.sh

bench: deps
	$(Q)$(MAKE) -s -C checker
	$(Q)bench/bench.py --version $(SCAN_VERSION) $(BENCH_FLAGS)

coccicheck: deps
	$(Q)test -n "$(KDIR)" || { echo "usage: make coccicheck KDIR=<kernel tree> [MODE=report] [M=dir]"; exit 2; }
	$(Q)scripts/coccicheck.sh "$(KDIR)" "$(or $(MODE),report)" $(M)

PREFIX ?= /usr/local
DESTDIR ?=
install: checker/mapcheck
	$(Q)install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/mapcheck/rules \
		$(DESTDIR)$(PREFIX)/share/man/man1
	$(Q)install -m 0755 checker/mapcheck $(DESTDIR)$(PREFIX)/bin/mapcheck
	$(Q)install -m 0644 rules/* $(DESTDIR)$(PREFIX)/share/mapcheck/rules/
	$(Q)install -m 0644 docs/mapcheck.1 $(DESTDIR)$(PREFIX)/share/man/man1/mapcheck.1

uninstall:
	$(Q)rm -f $(DESTDIR)$(PREFIX)/bin/mapcheck $(DESTDIR)$(PREFIX)/share/man/man1/mapcheck.1
	$(Q)rm -rf $(DESTDIR)$(PREFIX)/share/mapcheck
fuzz: deps
	$(Q)tests/fuzz/long.sh -t $(or $(S),60) -j $(or $(J),1) $(T)

clean:
	$(Q)$(MAKE) -s -C checker clean
	rm -rf $(OUT)

.PHONY: all deps trees scan check check-quick check-all check-kernel bench coccicheck install uninstall fuzz clean FORCE
