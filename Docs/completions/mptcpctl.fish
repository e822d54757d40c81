# fish completion for mptcpctl. The binary answers itself ('mptcpctl __complete
# WORD...' prints the candidates for the last word, one per line, '__files__' for
# file names), so this script never goes stale when commands change.
function __mptcpctl_complete
    set -l words (commandline -opc) (commandline -ct)
    for line in ($words[1] __complete $words[2..-1] 2>/dev/null)
        if test "$line" = __files__
            __fish_complete_path (commandline -ct)
        else
            echo $line
        end
    end
end
complete -c mptcpctl -f -a '(__mptcpctl_complete)'
