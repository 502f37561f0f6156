// The monorepo's C++ scoring library, with a C interface so Go can call it through cgo.
#ifndef SCORING_H
#define SCORING_H
#ifdef __cplusplus
extern "C" {
#endif

// The score of a document of `words` words.
int score_document(int words);

#ifdef __cplusplus
}
#endif
#endif
