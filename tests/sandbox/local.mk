# Sandbox server rules live here (issue 3).
