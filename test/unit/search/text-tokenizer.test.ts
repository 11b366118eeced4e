import { tokenize } from '../../../src/adapters/search/text-tokenizer';

describe('tokenize', () => {
  it('segments Chinese with jieba and lower-cases English in the same text', () => {
    const tokens = tokenize('高级算法工程师 推荐系统 PyTorch');
    expect(tokens).toEqual(expect.arrayContaining(['高级', '算法', '工程师', '推荐', '系统', 'pytorch']));
  });

  it('search mode also yields the words inside compounds', () => {
    expect(tokenize('工程师', 'search')).toEqual(expect.arrayContaining(['工程', '工程师']));
    expect(tokenize('工程师', 'precise')).toEqual(['工程师']);
  });

  it('keeps C++ and C# apart from C', () => {
    expect(tokenize('C++/C# and C developer')).toEqual(['c++', 'c#', 'and', 'c', 'developer']);
  });

  it('folds full-width forms', () => {
    expect(tokenize('ＰｙＴｏｒｃｈ')).toEqual(['pytorch']);
  });

  it('yields nothing for punctuation and emoji', () => {
    expect(tokenize('🙂🚀 !!! ，。？ ---')).toEqual([]);
  });
});
