function __mptcpctl_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mptcpctl_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mptcpctl_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mptcpctl_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mptcpctl_parse_tokens -S
    set -l unparsed_tokens (__mptcpctl_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mptcpctl'
        __mptcpctl_parse_subcommand 0 'n/netns=' 'j/json' 'p/pretty' 'b/batch=' 'force' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'endpoint'
            __mptcpctl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'add'
                __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'version' 'h/help'
            case 'delete'
                __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'version' 'h/help'
            case 'change'
                __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'version' 'h/help'
            case 'show'
                __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'version' 'h/help'
            case 'flush'
                __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'version' 'h/help'
            end
        case 'limits'
            __mptcpctl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'set'
                __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'version' 'h/help'
            case 'show'
                __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'version' 'h/help'
            end
        case 'monitor'
            __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'event=+' 'count=' 'timeout=' 'version' 'h/help'
        case 'counters'
            __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'all-netns' 'format=' 'output=' 'version' 'h/help'
        case 'check'
            __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'all-netns' 'version' 'h/help'
        case 'doctor'
            __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'all-netns' 'version' 'h/help'
        case 'apply'
            __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'dry-run' 'keep-unlisted' 'version' 'h/help'
        case 'export'
            __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'all-netns' 'version' 'h/help'
        case 'connections'
            __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'all-netns' 'listening' 'version' 'h/help'
        case 'sync'
            __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'interval=' 'keep-unlisted' 'ignore-managers' 'version' 'h/help'
        case 'userspace'
            __mptcpctl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'announce'
                __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'version' 'h/help'
            case 'remove'
                __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'version' 'h/help'
            case 'create'
                __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'version' 'h/help'
            case 'destroy'
                __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'version' 'h/help'
            case 'change'
                __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'version' 'h/help'
            case 'listen'
                __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'version' 'h/help'
            case 'show'
                __mptcpctl_parse_subcommand -r 1 'n/netns=' 'j/json' 'p/pretty' 'version' 'h/help'
            end
        case 'help'
            __mptcpctl_parse_subcommand -r 1 'version'
        end
    end
end

function __mptcpctl_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mptcpctl_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __mptcpctl_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mptcpctl_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mptcpctl_tokens -p)
    if test -z "$(__mptcpctl_tokens -t)"
        set -l index (count (__mptcpctl_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mptcpctl' -f
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl" b batch' -s 'b' -l 'batch' -d 'Run each line of FILE (\'-\' for standard input) as a command line, like \'ip -batch\'; stop at the first failing line.' -rfka ''
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl" force' -l 'force' -d 'With -b: report every failing line and go on; the exit code is still that of the first failure.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl" -eq 1' -fa 'endpoint' -d 'Add, delete, change, show and flush path-manager endpoints.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl" -eq 1' -fa 'limits' -d 'Show or set the path manager\'s limits.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl" -eq 1' -fa 'monitor' -d 'Print the path manager\'s events (connections, subflows, announcements) as they happen.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl" -eq 1' -fa 'counters' -d 'Endpoint counters and limits, from the dump and from the kernel\'s own MPTCP_INFO.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl" -eq 1' -fa 'check' -d 'Assert endpoint counts, limits, endpoints and live connections, for CI jobs.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl" -eq 1' -fa 'doctor' -d 'Find configurations that are accepted but silently do nothing.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl" -eq 1' -fa 'apply' -d 'Make namespaces match a YAML or JSON file: limits and the full set of endpoints.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl" -eq 1' -fa 'export' -d 'Write the current limits and endpoints in the format \'apply\' reads.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl" -eq 1' -fa 'connections' -d 'The MPTCP connections with their subflows, and the endpoint each subflow came from.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl" -eq 1' -fa 'sync' -d 'Keep a namespace as a file says, with endpoints that follow its interfaces\' addresses (a daemon).'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl" -eq 1' -fa 'userspace' -d 'Drive the userspace path manager: announcements and subflows of one connection.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl endpoint" -eq 1' -fa 'add' -d 'Add an endpoint.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl endpoint" -eq 1' -fa 'delete' -d 'Delete an endpoint, by id or by address.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl endpoint" -eq 1' -fa 'change' -d 'Set or clear the backup and fullmesh flags of an endpoint.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl endpoint" -eq 1' -fa 'show' -d 'Show the endpoints and the namespace\'s counters and limits, or one endpoint.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl endpoint" -eq 1' -fa 'flush' -d 'Delete every endpoint of the namespace.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint add" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint add" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint add" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint add" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint delete" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint delete" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint delete" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint delete" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint delete" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint change" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint change" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint change" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint change" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint change" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint show" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint show" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint show" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint show" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint flush" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint flush" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint flush" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint flush" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl endpoint flush" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl limits" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl limits" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl limits" -eq 1' -fa 'set' -d 'Set the limits named; the others keep their value.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl limits" -eq 1' -fa 'show' -d 'Show the limits.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl limits set" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl limits set" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl limits set" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl limits set" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl limits set" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl limits show" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl limits show" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl limits show" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl limits show" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl limits show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl monitor" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl monitor" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl monitor" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl monitor"' -l 'event' -d 'Print only events of this type (repeatable).' -rfka 'announced closed created established listener_closed listener_created removed sub_closed sub_established sub_priority'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl monitor" count' -l 'count' -d 'Exit 0 after this many matching events.' -rfka ''
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl monitor" timeout' -l 'timeout' -d 'Give up after this many seconds.' -rfka ''
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl monitor" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl monitor" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl counters" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl counters" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl counters" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl counters" all-netns' -l 'all-netns' -d 'Every named namespace (/run/netns) and the current one, in one process.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl counters" format' -l 'format' -d 'table (the default), json (as -j), openmetrics or prometheus.' -rfka 'table json openmetrics prometheus'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl counters" output' -l 'output' -d 'Write to this file, atomically, instead of standard output.' -rF
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl counters" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl counters" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl check" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl check" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl check" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl check" all-netns' -l 'all-netns' -d 'Every named namespace (/run/netns) and the current one, in one process.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl check" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl doctor" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl doctor" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl doctor" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl doctor" all-netns' -l 'all-netns' -d 'Every named namespace (/run/netns) and the current one, in one process.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl doctor" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl doctor" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl apply" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl apply" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl apply" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl apply" dry-run' -l 'dry-run' -d 'Print the plan and change nothing; exit 6 when changes are pending, 0 when none.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl apply" keep-unlisted' -l 'keep-unlisted' -d 'Leave endpoints the file does not list (by default they are deleted).'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl apply" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl apply" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl export" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl export" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl export" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl export" all-netns' -l 'all-netns' -d 'Every named namespace (/run/netns), under \'namespaces:\'.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl export" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl connections" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl connections" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl connections" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl connections" all-netns' -l 'all-netns' -d 'Every named namespace (/run/netns) and the current one, in one process.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl connections" listening' -l 'listening' -d 'List the listening MPTCP sockets too (they have no subflows).'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl connections" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl connections" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl sync" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl sync" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl sync" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl sync" interval' -l 'interval' -d 'Seconds between full checks that repair what others changed (1 to 86400).' -rfka ''
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl sync" keep-unlisted' -l 'keep-unlisted' -d 'Leave endpoints the file does not produce (by default they are deleted).'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl sync" ignore-managers' -l 'ignore-managers' -d 'Start even when mptcpd or NetworkManager runs in the namespace.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl sync" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl sync" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl userspace" -eq 1' -fa 'announce' -d 'Announce a local address to the peer of one connection (ADD_ADDR).'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl userspace" -eq 1' -fa 'remove' -d 'Withdraw an announced address (RM_ADDR) and close its subflows.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl userspace" -eq 1' -fa 'create' -d 'Open a subflow from a local address to an address of the peer.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl userspace" -eq 1' -fa 'destroy' -d 'Close one subflow, named by its two ends.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl userspace" -eq 1' -fa 'change' -d 'Set or clear the backup priority of one subflow (MP_PRIO).'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl userspace" -eq 1' -fa 'listen' -d 'Listen on an address and port for the peer\'s joins, until SIGINT or SIGTERM.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_positional "mptcpctl userspace" -eq 1' -fa 'show' -d 'Show the local addresses the userspace path manager holds for one connection.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace announce" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace announce" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace announce" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace announce" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace announce" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace remove" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace remove" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace remove" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace remove" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace create" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace create" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace create" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace create" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace destroy" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace destroy" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace destroy" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace destroy" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace destroy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace change" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace change" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace change" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace change" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace change" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace listen" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace listen" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace listen" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace listen" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace listen" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace show" n netns' -s 'n' -l 'netns' -d 'Work in the named network namespace (/run/netns/NAME), like \'ip -n\'.' -rfka '(ls /run/netns 2>/dev/null)'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace show" j json' -s 'j' -l 'json' -d 'Print JSON (superset of \'ip -j\').'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace show" p pretty' -s 'p' -l 'pretty' -d 'Indent the JSON output.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace show" version' -l 'version' -d 'Show the version.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl userspace show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mptcpctl' -n '__mptcpctl_should_offer_completions_for_flags_or_options "mptcpctl help" version' -l 'version' -d 'Show the version.'
