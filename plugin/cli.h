#pragma once

namespace sandbox::cli {

// The whole program: classifies argv (metadata probe, completion, help, a command), runs it, and
// turns every outcome into an exit code. Never lets a signal kill the process.
int main(int argc, char** argv);

} // namespace sandbox::cli
