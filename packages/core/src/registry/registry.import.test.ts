import { describe, expect, it } from 'vitest';
import { CsvParser, detectCsvEncoding, detectDelimiter, mapHeader, normalizeHeader, refKeysOf, storedCell } from './registry.import.ts';

const parse = (chunks: string[], delimiter = ',') => {
  const p = new CsvParser(delimiter);
  const out: string[][] = [];
  for (const c of chunks) p.push(c, out);
  p.end(out);
  return out;
};

describe('CSV reader', () => {
  it('reads plain, quoted and empty fields, CRLF, LF and CR line ends', () => {
    expect(parse(['a,b,c\r\nd,,f\ng,h,i\rj'])).toEqual([['a', 'b', 'c'], ['d', '', 'f'], ['g', 'h', 'i'], ['j']]);
    expect(parse(['"莲湖路 1 号, 2 楼","他说""好""",x\n'])).toEqual([['莲湖路 1 号, 2 楼', '他说"好"', 'x']]);
    expect(parse(['"两\n行",b\n'])).toEqual([['两\n行', 'b']]);
    expect(parse(['a,b\n', '\n', 'c,d'])).toEqual([['a', 'b'], [''], ['c', 'd']]);
  });

  it('gives the same records whatever the chunk boundaries (a CRLF or a doubled quote split in two)', () => {
    const text = 'name,"x ""y"" z"\r\n"a\r\nb",c\r\nlast,one';
    const whole = parse([text]);
    for (let cut = 1; cut < text.length; cut++) expect(parse([text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toEqual(whole);
    expect(whole).toEqual([['name', 'x "y" z'], ['a\r\nb', 'c'], ['last', 'one']]);
  });

  it('keeps stray quotes inside unquoted fields and refuses an unterminated quote', () => {
    expect(parse(['5"3,b\n'])).toEqual([['5"3', 'b']]);
    expect(() => parse(['"never closed,b\n'])).toThrow(expect.objectContaining({ code: 'registry.import_malformed' }));
  });

  it('reads tab- and semicolon-separated files', () => {
    expect(detectDelimiter('姓名\t人口类型')).toBe('\t');
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a,b;c,d')).toBe(',');
    expect(parse(['a\tb\n'], '\t')).toEqual([['a', 'b']]);
  });
});

describe('CSV encoding', () => {
  it('tells UTF-8 (with or without BOM) from GB18030 by the bytes', () => {
    expect(detectCsvEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ encoding: 'utf-8', bom: 3 });
    expect(detectCsvEncoding(Buffer.from('姓名,人口类型\n张三', 'utf8'))).toEqual({ encoding: 'utf-8', bom: 0 });
    // 张三 in GB18030 (GBK): D5 C5 C8 FD — not valid UTF-8.
    expect(detectCsvEncoding(Buffer.from([0xd5, 0xc5, 0xc8, 0xfd, 0x2c]))).toEqual({ encoding: 'gb18030', bom: 0 });
    expect(detectCsvEncoding(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).toEqual({ encoding: 'utf-16le', bom: 2 });
    // A UTF-8 character cut at the end of the sample is not an error.
    expect(detectCsvEncoding(Buffer.from('ab张', 'utf8').subarray(0, 4))).toEqual({ encoding: 'utf-8', bom: 0 });
  });
});

describe('headers', () => {
  it('takes labels in either language or field keys, ignoring required marks, spaces and unknown columns', () => {
    const { columns, missing } = mapHeader('persons', ['姓名 *', 'ID number', 'popType', '备注', null, '＊所属户']);
    expect(columns.map((c) => c?.key ?? null)).toEqual(['name', 'idNo', 'popType', null, null, 'householdId']);
    expect(missing).toEqual([]);
    expect(normalizeHeader(' Name (required) ')).toBe('name');
  });

  it('names the required columns that are missing, and refuses a column given twice', () => {
    expect(mapHeader('persons', ['证件号码']).missing.map((f) => f.key)).toEqual(['name', 'popType']);
    expect(() => mapHeader('persons', ['姓名', 'name'])).toThrow(expect.objectContaining({ code: 'registry.import_malformed' }));
  });

  it('does not take derived fields (户主, 人数 are computed)', () => {
    expect(mapHeader('households', ['户号', '户主', '人数']).columns.map((c) => c?.key ?? null)).toEqual(['householdNo', null, null]);
  });
});

describe('ref cells', () => {
  it('name a record by its single-field match keys, then its title', () => {
    expect(refKeysOf('buildings')).toEqual(['code', 'name']);
    expect(refKeysOf('households')).toEqual(['householdNo']);
    expect(refKeysOf('houses')).toEqual(['address']);
    expect(refKeysOf('units')).toEqual(['name']);
    expect(refKeysOf('organisations')).toEqual(['uscc', 'name']);
  });
});

describe('stored cells', () => {
  it('keep text, numbers and booleans; dates as days; blanks as null', () => {
    expect(storedCell(new Date(Date.UTC(1990, 2, 7)))).toBe('1990-03-07');
    expect(storedCell('  ')).toBeNull();
    expect(storedCell(12.5)).toBe(12.5);
    expect(storedCell(false)).toBe(false);
    expect(storedCell(undefined)).toBeNull();
  });
});
