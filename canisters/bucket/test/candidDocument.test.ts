/** The document checker finds each kind of drift between a document and the code's Candid. */
import { IDL } from '@dfinity/candid';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareTypeWithDocument, compareWithDocument, readCandidDocument } from './support/candidDocument';

const Kind = IDL.Variant({ small: IDL.Null, large: IDL.Record({ bytes: IDL.Nat64 }) });
const code = IDL.Service({
    put: IDL.Func([IDL.Record({ id: IDL.Text, kind: Kind, note: IDL.Opt(IDL.Text), data: IDL.Vec(IDL.Nat8) })], [IDL.Variant({ Ok: IDL.Nat32, Err: IDL.Text })], []),
    get: IDL.Func([IDL.Text], [IDL.Opt(IDL.Record({ owner: IDL.Principal, kind: Kind }))], ['query'])
});

const faithful = `
Some prose.

\`\`\`candid
type Kind = variant { small; large : record { bytes : nat64 } };   // a comment; with { braces
put : (record { id : text; kind : Kind; note : opt text; data : blob }) -> (variant { Ok : nat32; Err : text });
\`\`\`

More prose.

\`\`\`candid
get : (text) -> (opt record { owner : principal; kind : Kind }) query;
\`\`\`
`;

function documentOf(markdown: string) {
    const path = join(mkdtempSync(join(tmpdir(), 'candid-doc-')), 'doc.md');
    writeFileSync(path, markdown);
    return readCandidDocument(path);
}

const check = (markdown: string): string[] => compareWithDocument(documentOf(markdown), code);

describe('compareWithDocument', () => {
    it('finds nothing wrong with a faithful document', () => {
        expect(check(faithful)).toEqual([]);
    });

    it.each([
        ['a record field missing', faithful.replace('note : opt text; ', ''), /^put arguments/],
        ['a field of another type', faithful.replace('Ok : nat32', 'Ok : nat64'), /^put replies/],
        ['a variant case missing', faithful.replace('small; ', ''), /^put arguments|^get replies/],
        ['an extra required field', faithful.replace('data : blob', 'data : blob; size : nat64'), /^put arguments/],
        ['an option that is not one in the code', faithful.replace('note : opt text', 'note : text'), /^put arguments/],
        ['a query documented as an update', faithful.replace(') query;', ');'), /^get: the code says query, the document update/],
        ['a method missing', faithful.replace(/get : [^\n]*\n/, ''), /^get: in the code, not in the document/],
        ['a method that does not exist', faithful.replace('```\n\nMore', 'drop : () -> ();\n```\n\nMore'), /^drop: in the document, not in the code/]
    ])('reports %s', (_label, markdown, expected) => {
        const problems = check(markdown);
        expect(problems.length).toBeGreaterThan(0);
        expect(problems.some((p) => expected.test(p))).toBe(true);
    });

    it('reports a document that is not Candid with the parser’s message', () => {
        expect(() => check(faithful.replace('kind : Kind;', 'variant : Kind;'))).toThrow(/Candid parser error|parse/);
    });

    it('compares a named type (an init argument) and reports it when it differs or is missing', () => {
        expect(compareTypeWithDocument(documentOf(faithful), 'Kind', Kind)).toEqual([]);
        expect(compareTypeWithDocument(documentOf(faithful.replace('bytes : nat64', 'bytes : nat32')), 'Kind', Kind)[0]).toMatch(/^type Kind \(sample \d+\)/);
        expect(compareTypeWithDocument(documentOf(faithful), 'Missing', Kind)).toEqual(['type Missing: not in the document']);
    });
});
