#!/usr/bin/env bash
# Emit hv's symbol table as assembly: sorted text-symbol addresses and names,
# read with nm from a linked image (or an empty table with no argument).
#   gensyms.sh [hv.elf] > symtab.S
set -euo pipefail
NM=${NM:-nm}
if [ $# -ge 1 ]; then
	syms=$("$NM" -n --defined-only "$1" | awk '$2 ~ /^[tT]$/ && $3 !~ /^(\.|hv_symtab)/ {print $1, $3}')
else
	syms=""
fi
count=$(printf '%s' "$syms" | grep -c . || true)
echo '	.section .hv_symtab, "a"'
echo '	.balign 8'
echo '	.globl hv_symtab_count, hv_symtab_addrs, hv_symtab_name_offs, hv_symtab_names'
echo "hv_symtab_count: .quad $count"
echo 'hv_symtab_addrs:'
printf '%s\n' "$syms" | awk 'NF {print "\t.quad 0x" $1}'
echo 'hv_symtab_name_offs:'
printf '%s\n' "$syms" | awk 'NF {print "\t.long " off; off += length($2) + 1}' off=0
echo 'hv_symtab_names:'
printf '%s\n' "$syms" | awk 'NF {print "\t.asciz \"" $2 "\""}'
