# bash completion for mptcpctl. The binary answers itself ('mptcpctl __complete
# WORD...' prints the candidates for the last word, one per line, '__files__' for
# file names), so this script never goes stale when commands change.
_mptcpctl() {
    local cur=${COMP_WORDS[COMP_CWORD]} line
    local IFS=$'\n'
    COMPREPLY=()
    for line in $("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null); do
        if [[ $line == __files__ ]]; then
            COMPREPLY+=($(compgen -f -- "$cur"))
        else
            COMPREPLY+=("$line")
        fi
    done
}
complete -o filenames -F _mptcpctl mptcpctl
