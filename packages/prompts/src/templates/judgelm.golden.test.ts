// Golden tests: each expected string below is the upstream rendering of the fixed sample, produced
// by the upstream Python code path re-stated in bench/upstream_prompts.py (upstream strings copied
// verbatim, str.format / f-strings as upstream calls them) and pinned here byte for byte.
import { describe, expect, it } from 'vitest';
import { render } from '../render.js';
const pair = {
  id: 'q1',
  question: 'What is the capital of France? Answer in one sentence.',
  answer1: 'The capital of France is Paris.</s>',
  answer2: '  I believe it is Lyon, the café capital.\n',
  reference: 'Paris is the capital of France.',
};
const single = {
  id: 's1',
  question: 'Name a prime number greater than 10.',
  answer: '11 is a prime number greater than 10.',
  reference: '13',
};
const multi = {
  id: 'm1',
  question: 'Give a synonym for "happy".',
  answers: ['Joyful.', 'Sad.', 'Cheerful', 'Content, glad.'],
  reference: 'Glad.',
};

describe('judgelm golden renders (byte-exact)', () => {
  it('judgelm/pair', () => {
    const expected =
      "You are a helpful and precise assistant for checking the quality of the answer.\n[Question]\nWhat is the capital of France? Answer in one sentence.\n\n[The Start of Assistant 1's Answer]\nThe capital of France is Paris.</s>\n\n[The End of Assistant 1's Answer]\n\n[The Start of Assistant 2's Answer]\n  I believe it is Lyon, the café capital.\n\n\n[The End of Assistant 2's Answer]\n\n[System]\nWe would like to request your feedback on the performance of two AI assistants in response to the user question displayed above.\nPlease rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.\nPlease first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.\n\n### Response:";
    expect(render('judgelm/pair', pair).raw).toBe(expected);
  });
  it('judgelm/pair+ref', () => {
    const expected =
      "You are a helpful and precise assistant for checking the quality of the answer.\n[Question]\nWhat is the capital of France? Answer in one sentence.\n\n[Reference Answer]\nParis is the capital of France.\n\n[The Start of Assistant 1's Answer]\nThe capital of France is Paris.</s>\n\n[The End of Assistant 1's Answer]\n\n[The Start of Assistant 2's Answer]\n  I believe it is Lyon, the café capital.\n\n\n[The End of Assistant 2's Answer]\n\n[System]\nWe would like to request your feedback on the performance of two AI assistants in response to the user question displayed above.\nPlease rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.\nPlease first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.\n\n### Response:";
    expect(render('judgelm/pair', pair, { reference: true }).raw).toBe(expected);
  });
  it('judgelm/pair+swap', () => {
    const expected =
      "You are a helpful and precise assistant for checking the quality of the answer.\n[Question]\nWhat is the capital of France? Answer in one sentence.\n\n[The Start of Assistant 1's Answer]\n  I believe it is Lyon, the café capital.\n\n\n[The End of Assistant 1's Answer]\n\n[The Start of Assistant 2's Answer]\nThe capital of France is Paris.</s>\n\n[The End of Assistant 2's Answer]\n\n[System]\nWe would like to request your feedback on the performance of two AI assistants in response to the user question displayed above.\nPlease rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.\nPlease first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.\n\n### Response:";
    expect(render('judgelm/pair', pair, { swap: true }).raw).toBe(expected);
  });
  it('judgelm/single', () => {
    const expected =
      "You are a helpful and precise assistant for checking the quality of the answer.\n[Question]\nName a prime number greater than 10.\n\n[The Start of Assistant 1's Answer]\n13\n\n[The End of Assistant 1's Answer]\n\n[The Start of Assistant 2's Answer]\n11 is a prime number greater than 10.\n\n[The End of Assistant 2's Answer]\n\n[System]\nWe would like to request your feedback on the performance of two AI assistants in response to the user question displayed above.\nPlease rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.\nPlease first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.\n\n### Response:10";
    expect(render('judgelm/single', single).raw).toBe(expected);
  });
  it('judgelm/single+ref', () => {
    const expected =
      "You are a helpful and precise assistant for checking the quality of the answer.\n[Question]\nName a prime number greater than 10.\n\n[Reference Answer]\n13\n\n[The Start of Assistant 1's Answer]\n13\n\n[The End of Assistant 1's Answer]\n\n[The Start of Assistant 2's Answer]\n11 is a prime number greater than 10.\n\n[The End of Assistant 2's Answer]\n\n[System]\nWe would like to request your feedback on the performance of two AI assistants in response to the user question displayed above.\nPlease rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.\nPlease first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.\n\n### Response:10";
    expect(render('judgelm/single', single, { reference: true }).raw).toBe(expected);
  });
  it('judgelm/multi', () => {
    const expected =
      "You are a helpful and precise assistant for checking the quality of the answer.\n[Question]\nGive a synonym for \"happy\".\n\n[The Start of Assistant 1's Answer]\nJoyful.\n\n[The End of Assistant 1's Answer]\n\n[The Start of Assistant 2's Answer]\nSad.\n\n[The End of Assistant 2's Answer]\n\n[The Start of Assistant 3's Answer]\nCheerful\n\n[The End of Assistant 3's Answer]\n\n[The Start of Assistant 4's Answer]\nContent, glad.\n\n[The End of Assistant 4's Answer]\n\n[System]\nWe would like to request your feedback on the performance of four AI assistants in response to the user question displayed above.\nPlease rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.\nPlease first output a single line containing only four values indicating the scores for Assistant 1, 2, 3 and 4, respectively. The four scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.\n\n### Response:";
    expect(render('judgelm/multi', multi).raw).toBe(expected);
  });
  it('judgelm/multi+ref', () => {
    const expected =
      "You are a helpful and precise assistant for checking the quality of the answer.\n[Question]\nGive a synonym for \"happy\".\n\n[Reference Answer]\nGlad.\n\n[The Start of Assistant 1's Answer]\nJoyful.\n\n[The End of Assistant 1's Answer]\n\n[The Start of Assistant 2's Answer]\nSad.\n\n[The End of Assistant 2's Answer]\n\n[The Start of Assistant 3's Answer]\nCheerful\n\n[The End of Assistant 3's Answer]\n\n[The Start of Assistant 4's Answer]\nContent, glad.\n\n[The End of Assistant 4's Answer]\n\n[System]\nWe would like to request your feedback on the performance of four AI assistants in response to the user question displayed above.\nPlease rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.\nPlease first output a single line containing only four values indicating the scores for Assistant 1, 2, 3 and 4, respectively. The four scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.\n\n### Response:";
    expect(render('judgelm/multi', multi, { reference: true }).raw).toBe(expected);
  });
  it('judgelm/vqa-single', () => {
    const expected =
      "You are a helpful and precise assistant for checking the quality of the answer.\n[Question]\nName a prime number greater than 10.\n\n[Reference Answer]\n13\n\n[The Start of Assistant 1's Answer]\n13\n\n[The End of Assistant 1's Answer]\n\n[The Start of Assistant 2's Answer]\n11 is a prime number greater than 10.\n\n[The End of Assistant 2's Answer]\n\n[System]\nWe would like to request your feedback on the performance of two AI assistants' answers in comparing with the reference answer and determine if they match meaningfully. Please rate the helpfulness, relevance, accuracy, level of details of the Assistants' answers. To accomplish the task, you must : 1. Focus on the meaningful match between the reference answer and the Assistants' answers.\n 2. Consider synonyms or paraphrases as valid matches.\n 3. Evaluate the correctness of the Assistants' answers compared to the reference answer.\n 4. If there are multiple reference answers, the Assistants' answer is considered correct as long as it is close to any of the answers.\nPlease first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.\n\n### Response:10";
    expect(render('judgelm/vqa-single', single).raw).toBe(expected);
  });
});
