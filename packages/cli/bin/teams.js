#!/usr/bin/env node
// Installed `teams` command: the compiled entry (npm links bins before `prepare` builds dist/).
import "../dist/bin.js";
