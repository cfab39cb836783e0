# End-to-end TUI tests (tmux), issue 5.
