// The indexer: a C++ service of the monorepo. Prints the score of documents of the given
// word counts (default 3).
#include <cstdlib>
#include <iostream>

#include "scoring.h"

int main(int argc, char** argv) {
  int words = argc > 1 ? std::atoi(argv[1]) : 3;
  std::cout << "indexer: score_document(" << words << ") = " << score_document(words) << "\n";
  return 0;
}
