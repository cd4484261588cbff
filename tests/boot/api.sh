# SPDX-License-Identifier: MIT
# The application boundary (docs/api.md): apps compile against api/ and the
# C library's headers only, and link only against what those declare.
# Each test builds a small app under build/test-apps/ and checks that the
# build fails, and why.

# build_test_app NAME SOURCE: writes SOURCE as NAME's main.c and runs make;
# sets BUILD_RC and BUILD_OUT (the build's output).
build_test_app() {
    local dir=build/test-apps/$1
    rm -rf "$TOP/$dir" && mkdir -p "$TOP/$dir"
    printf '%s\n' "$2" > "$TOP/$dir/main.c"
    BUILD_OUT="$LOG_DIR/$CURRENT_TEST.build"
    make -C "$TOP" --no-print-directory APP="$dir" > "$BUILD_OUT" 2>&1
    BUILD_RC=$?
    echo "  make APP=$dir: status $BUILD_RC (log: ${BUILD_OUT#$TOP/})"
}

expect_build_fails() {
    [ "$BUILD_RC" != 0 ] || fail "the build succeeded"
    grep -Eq -- "$1" "$BUILD_OUT" || { fail "build output has no line matching: $1"; tail -5 "$BUILD_OUT"; }
}

# The same program through the public header builds: the failures below
# are the boundary's doing, not a broken template.
test_build_app_public_api_builds() {
    build_test_app api_ok '#include <mote.h>
#include <stdio.h>
int main(void) { printf("%d %.1f\n", xen_initial_domain(), 1.5); return 0; }'
    [ "$BUILD_RC" = 0 ] || { fail "a public-API app does not build"; tail -5 "$BUILD_OUT"; }
}

test_build_app_kernel_header_fails() {
    build_test_app api_header '#include <thread.h>
int main(void) { return 0; }'
    expect_build_fails 'fatal error: thread.h: No such file or directory'
}

test_build_app_arch_header_fails() {
    build_test_app api_arch '#include <arch/hypercall.h>
int main(void) { return 0; }'
    expect_build_fails 'fatal error: arch/hypercall.h: No such file or directory'
}

# Undeclared: the compiler stops it (implicit declarations are errors).
test_build_app_undeclared_internal_call_fails() {
    build_test_app api_undeclared '#include <mote.h>
int main(void) { events_init(); return 0; }'
    expect_build_fails "implicit declaration of function .events_init."
}

# Declared by the app itself: the link check stops it.
test_build_app_self_declared_internal_call_fails() {
    build_test_app api_declared '#include <mote.h>
void mm_init(void);
extern struct { unsigned long total_pages; } mm_stats;
int main(void) { mm_init(); return (int)mm_stats.total_pages; }'
    expect_build_fails "uses 'mm_init', which is not part of mote's public API"
    expect_build_fails "uses 'mm_stats', which is not part of mote's public API"
}

# The kernel proper never uses floating-point or SSE registers: event
# upcalls do not save them, so an FP instruction in kernel or handler code
# would corrupt the interrupted thread's. Checked on the built objects: only
# the C library's floating-point files (LIBC_FP_SRCS in the Makefile, run for
# applications only) may, plus the prologue of snprintf, which stores the
# vector argument registers only when a caller passes doubles (%al > 0),
# the FXSAVE/FXRSTOR of the thread switch, and the FNINIT/LDMXCSR with which
# the upcall gives event handlers clean FPU modes (arch_fpu_load_clean_control).
test_build_kernel_proper_uses_no_fp() {
    local fp_srcs obj bad=0 found
    fp_srcs=$(make -C "$TOP" --no-print-directory -pn 2>/dev/null | sed -n 's/^LIBC_FP_SRCS := //p' | head -1)
    [ -n "$fp_srcs" ] || { fail "no LIBC_FP_SRCS in the Makefile"; return; }
    for obj in "$TOP"/build/arch/x86_64/*.o "$TOP"/build/kernel/*.o "$TOP"/build/lib/*.o \
               "$TOP"/build/drivers/*/*.o "$TOP"/build/libc/*.o; do
        local src=${obj#$TOP/build/}
        src=${src%.o}
        case " $fp_srcs " in *" $src "*) continue ;; esac
        found=$(objdump -d --no-show-raw-insn "$obj" | awk '
            /^[0-9a-f]+ <.*>:$/ { fn = $2 }
            /%[xy]mm|mxcsr|\t(f[a-z]+|emms|movq2dq)[ \t]/ && !/fxsave|fxrstor/ {
                if (fn == "<snprintf>:" && $0 ~ /movaps +%xmm[0-7],/) next
                if (fn == "<evtchn_do_upcall>:" && $0 ~ /\t(fninit|ldmxcsr) /) next
                print fn " " $0
            }')
        if [ -n "$found" ]; then
            fail "$src uses FP/SSE registers:"
            printf '%s\n' "$found" | head -5
            bad=1
        fi
    done
    [ $bad = 0 ] && echo "  checked $(ls "$TOP"/build/{arch/x86_64,kernel,lib,libc}/*.o "$TOP"/build/drivers/*/*.o | wc -l) objects"
}

# docs/api.md is the index of the API: every function and variable the
# public headers declare is named there (the symbols behind macros, and
# the assembler names of local_irq_save/restore, the spinlock calls and
# printk, excepted).
test_docs_api_lists_every_public_function() {
    make -C "$TOP" --no-print-directory build/api-symbols.txt > /dev/null 2>&1 \
        || { fail "could not list the public symbols"; return; }
    local sym missing=0 count=0
    while read -r sym; do
        case $sym in __errno_location|__assert_fail|mote_local_irq_*|mote_spin_*|mote_app_printk) continue ;; esac
        count=$((count + 1))
        grep -Eq "(^|[^A-Za-z0-9_])$sym([^A-Za-z0-9_]|$)" "$TOP/docs/api.md" \
            || { fail "docs/api.md does not mention $sym"; missing=1; }
    done < "$TOP/build/api-symbols.txt"
    [ $count -gt 150 ] || fail "only $count public symbols found"
    [ $missing = 0 ] && echo "  $count public symbols, all in docs/api.md"
}

# printf's floating-point conversions (libc/printf_fp.c) are linked only into
# an image whose app code uses SSE registers (the Makefile's PRINTF_FP_OBJ):
# an app that prints a double gets them; hello goes without.
test_build_app_float_printf_linked_on_use() {
    build_test_app api_float '#include <stdio.h>
int main(int argc, char **argv) { (void)argv; printf("%.2f\n", argc / 3.0); return 0; }'
    [ "$BUILD_RC" = 0 ] || { fail "an app printing a double does not build"; tail -5 "$BUILD_OUT"; return; }
    # Whole symbol lists, not `nm | grep -q`: under pipefail grep's early
    # exit would fail the pipeline through nm's SIGPIPE.
    local with without
    with=$(${CROSS_COMPILE:-}nm "$TOP/build/api_float.elf")
    without=$(${CROSS_COMPILE:-}nm "$TOP/build/mote.elf")
    grep -q ' format_double$' <<< "$with" ||
        fail "build/api_float.elf prints a double but has no format_double"
    if grep -q ' format_double$' <<< "$without"; then
        fail "hello (build/mote.elf) links format_double, which it never uses"
    fi
}
