# The `run` target every libFuzzer target here shares, included by
# tests/fuzz/<target>/Makefile after it sets:
#   OUT           its build directory, where the fuzzer binary lives
#   FUZZER        the fuzzer binary's name under OUT
#   FUZZ_MAX_LEN  libFuzzer's -max_len
#   FUZZ_INPUTS   corpus directories read besides the fresh working one
#                 (the checked-in corpus/ at least)
# and, optionally, FUZZ_LOG_LINES (how much of the log to show). A target
# that makes seeds first adds them as a prerequisite of `run`.
#   make run FUZZ_TIME=30   build, then fuzz for FUZZ_TIME seconds
#
# A fresh working corpus each run. Any artifact (crash-, leak-, timeout-,
# oom-) is a finding, and so is the fuzzer failing for any other reason
# (it exits 0 only after a clean run): `run` fails on either.
FUZZ_TIME      ?= 30
FUZZ_LOG_LINES ?= 12

ARTIFACTS = find $(OUT) -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
            -o -name 'oom-*' \)

.PHONY: run
run: $(OUT)/$(FUZZER)
	@$(ARTIFACTS) -delete; rm -rf $(OUT)/work && mkdir -p $(OUT)/work
	@cd $(OUT) && { ./$(FUZZER) -max_total_time=$(FUZZ_TIME) -max_len=$(FUZZ_MAX_LEN) -timeout=10 \
	    -rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix=$(OUT)/ \
	    work $(FUZZ_INPUTS) > fuzz.log 2>&1; echo $$? > fuzz.rc; }; tail -n $(FUZZ_LOG_LINES) fuzz.log
	@if [ -n "$$($(ARTIFACTS))" ]; then echo "fuzz: FINDINGS: $$($(ARTIFACTS))"; exit 1; fi
	@if [ "$$(cat $(OUT)/fuzz.rc)" != 0 ]; then \
	    echo "fuzz: $(FUZZER) exited $$(cat $(OUT)/fuzz.rc) (log: $(OUT)/fuzz.log)"; exit 1; fi
	@echo "fuzz: no findings"
