/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libclang.h: libclang is loaded at run time (dlopen), so that a machine
 * without it gets a one-line error and exit 2 rather than a loader
 * failure.  Every libclang function parse.c uses is listed here once;
 * each call goes through a pointer filled by libclang_load().
 */
#ifndef MAPCHECK_LIBCLANG_H
#define MAPCHECK_LIBCLANG_H

#include <stdbool.h>

#include <clang-c/Index.h>

#define LIBCLANG_FUNCS(X) \
	X(clang_Cursor_getArgument) \
	X(clang_Cursor_getNumArguments) \
	X(clang_Cursor_getVarDeclInitializer) \
	X(clang_Cursor_hasVarDeclGlobalStorage) \
	X(clang_Cursor_isNull) \
	X(clang_File_isEqual) \
	X(clang_File_tryGetRealPathName) \
	X(clang_createIndex) \
	X(clang_disposeDiagnostic) \
	X(clang_disposeIndex) \
	X(clang_disposeSourceRangeList) \
	X(clang_disposeString) \
	X(clang_disposeTokens) \
	X(clang_disposeTranslationUnit) \
	X(clang_equalCursors) \
	X(clang_getCString) \
	X(clang_getCanonicalCursor) \
	X(clang_getCanonicalType) \
	X(clang_getCursorExtent) \
	X(clang_getCursorKind) \
	X(clang_getCursorLinkage) \
	X(clang_getCursorLocation) \
	X(clang_getCursorReferenced) \
	X(clang_getCursorSemanticParent) \
	X(clang_getCursorSpelling) \
	X(clang_getCursorType) \
	X(clang_getDiagnostic) \
	X(clang_getDiagnosticLocation) \
	X(clang_getDiagnosticSeverity) \
	X(clang_getDiagnosticSpelling) \
	X(clang_getExpansionLocation) \
	X(clang_getFile) \
	X(clang_getLocation) \
	X(clang_getClangVersion) \
	X(clang_getArrayElementType) \
	X(clang_getPointeeType) \
	X(clang_getTypeDeclaration) \
	X(clang_Type_visitFields) \
	X(clang_getFileName) \
	X(clang_getInclusions) \
	X(clang_getNumDiagnostics) \
	X(clang_getRange) \
	X(clang_getRangeEnd) \
	X(clang_getRangeStart) \
	X(clang_getSkippedRanges) \
	X(clang_getSpellingLocation) \
	X(clang_getTokenKind) \
	X(clang_getTokenSpelling) \
	X(clang_getTranslationUnitCursor) \
	X(clang_getTypeSpelling) \
	X(clang_hashCursor) \
	X(clang_isAttribute) \
	X(clang_isCursorDefinition) \
	X(clang_isExpression) \
	X(clang_saveTranslationUnit) \
	X(clang_tokenize) \
	X(clang_Cursor_Evaluate) \
	X(clang_EvalResult_getKind) \
	X(clang_EvalResult_getAsLongLong) \
	X(clang_EvalResult_dispose) \
	X(clang_getLocationForOffset) \
	X(clang_getTokenLocation) \
	X(clang_getFileContents) \
	X(clang_equalTypes) \
	X(clang_visitChildren) \
	X(clang_parseTranslationUnit2) \

#define X(f) extern __typeof__(&f) p_##f;
LIBCLANG_FUNCS(X)
#undef X

#ifndef LIBCLANG_NO_REDIRECT
#define clang_Cursor_getArgument p_clang_Cursor_getArgument
#define clang_Cursor_getNumArguments p_clang_Cursor_getNumArguments
#define clang_Cursor_getVarDeclInitializer p_clang_Cursor_getVarDeclInitializer
#define clang_Cursor_hasVarDeclGlobalStorage p_clang_Cursor_hasVarDeclGlobalStorage
#define clang_Cursor_isNull p_clang_Cursor_isNull
#define clang_File_isEqual p_clang_File_isEqual
#define clang_File_tryGetRealPathName p_clang_File_tryGetRealPathName
#define clang_createIndex p_clang_createIndex
#define clang_disposeDiagnostic p_clang_disposeDiagnostic
#define clang_disposeIndex p_clang_disposeIndex
#define clang_disposeSourceRangeList p_clang_disposeSourceRangeList
#define clang_disposeString p_clang_disposeString
#define clang_disposeTokens p_clang_disposeTokens
#define clang_disposeTranslationUnit p_clang_disposeTranslationUnit
#define clang_equalCursors p_clang_equalCursors
#define clang_getCString p_clang_getCString
#define clang_getCanonicalCursor p_clang_getCanonicalCursor
#define clang_getCanonicalType p_clang_getCanonicalType
#define clang_getCursorExtent p_clang_getCursorExtent
#define clang_getCursorKind p_clang_getCursorKind
#define clang_getCursorLinkage p_clang_getCursorLinkage
#define clang_getCursorLocation p_clang_getCursorLocation
#define clang_getCursorReferenced p_clang_getCursorReferenced
#define clang_getCursorSemanticParent p_clang_getCursorSemanticParent
#define clang_getCursorSpelling p_clang_getCursorSpelling
#define clang_getCursorType p_clang_getCursorType
#define clang_getDiagnostic p_clang_getDiagnostic
#define clang_getDiagnosticLocation p_clang_getDiagnosticLocation
#define clang_getDiagnosticSeverity p_clang_getDiagnosticSeverity
#define clang_getDiagnosticSpelling p_clang_getDiagnosticSpelling
#define clang_getExpansionLocation p_clang_getExpansionLocation
#define clang_getFile p_clang_getFile
#define clang_getLocation p_clang_getLocation
#define clang_getClangVersion p_clang_getClangVersion
#define clang_getArrayElementType p_clang_getArrayElementType
#define clang_getPointeeType p_clang_getPointeeType
#define clang_getTypeDeclaration p_clang_getTypeDeclaration
#define clang_Type_visitFields p_clang_Type_visitFields
#define clang_getFileName p_clang_getFileName
#define clang_getInclusions p_clang_getInclusions
#define clang_getNumDiagnostics p_clang_getNumDiagnostics
#define clang_getRange p_clang_getRange
#define clang_getRangeEnd p_clang_getRangeEnd
#define clang_getRangeStart p_clang_getRangeStart
#define clang_getSkippedRanges p_clang_getSkippedRanges
#define clang_getSpellingLocation p_clang_getSpellingLocation
#define clang_getTokenKind p_clang_getTokenKind
#define clang_getTokenSpelling p_clang_getTokenSpelling
#define clang_getTranslationUnitCursor p_clang_getTranslationUnitCursor
#define clang_getTypeSpelling p_clang_getTypeSpelling
#define clang_hashCursor p_clang_hashCursor
#define clang_isAttribute p_clang_isAttribute
#define clang_isCursorDefinition p_clang_isCursorDefinition
#define clang_isExpression p_clang_isExpression
#define clang_saveTranslationUnit p_clang_saveTranslationUnit
#define clang_tokenize p_clang_tokenize
#define clang_Cursor_Evaluate p_clang_Cursor_Evaluate
#define clang_EvalResult_getKind p_clang_EvalResult_getKind
#define clang_EvalResult_getAsLongLong p_clang_EvalResult_getAsLongLong
#define clang_EvalResult_dispose p_clang_EvalResult_dispose
#define clang_getLocationForOffset p_clang_getLocationForOffset
#define clang_getTokenLocation p_clang_getTokenLocation
#define clang_getFileContents p_clang_getFileContents
#define clang_equalTypes p_clang_equalTypes
#define clang_visitChildren p_clang_visitChildren
#define clang_parseTranslationUnit2 p_clang_parseTranslationUnit2
#endif

/* Load libclang; on failure returns false with a one-line reason. */
bool libclang_load(char **why);

#endif
