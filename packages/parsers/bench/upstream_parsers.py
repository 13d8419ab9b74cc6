"""Python re-statement of the upstream judge-output parsers (the benchmark peer).

Each function is the upstream code, copied in logic (comments name repo, path and commit):
- JudgeLM parse_score + translate_score_to_win_list: baaivision/JudgeLM judgelm/llm_judge/common.py (00c45169)
- JudgeLRM extract_solution: NuoJohnChen/JudgeLRM src/verl/utils/reward_score/judgelrm.py (1b20721)
- JudgeLRM parse_judge_lrm_response: NuoJohnChen/JudgeLRM pandalm/utils/judgelrm_inference.py (e60f305)
- JudgeLRM Qwen3 postprocess_output: NuoJohnChen/JudgeLRM pandalm/utils/judgelrm_qwen3_inference.py (e60f305)
- PandaLM parse_pandalm_response: WeOpenML/PandaLM pandalm/utils/pandalm_inference.py (3871806e)
- MT-Bench pair / single: lm-sys/FastChat fastchat/llm_judge/common.py (007ecd07)
- Prometheus absolute / relative: prometheus-eval/prometheus-eval libs/prometheus-eval/prometheus_eval/parser.py (a6938ead)

Usage: python3 upstream_parsers.py bench < cases.json   -> prints {"<format>": parses_per_second, ...}
       python3 upstream_parsers.py eval < cases.json    -> prints {"<format>": [result, ...], ...}
"""
import ast
import json
import re
import sys
import time


def parse_score(review):
    try:
        score_pair = review.split('\n')[0]
        score_pair = score_pair.replace(',', ' ')
        sp = score_pair.split(' ')
        if len(sp) == 2:
            return [float(sp[0]), float(sp[1])]
        else:
            raise Exception()
    except Exception:
        return [-1, -1]


def judgelm(text):
    s = parse_score(text)
    return [s, 1 if s[0] - s[1] > 0 else (-1 if s[1] - s[0] > 0 else 0)]


def extract_solution(solution_str):
    if "Assistant:" in solution_str:
        processed_str = solution_str.split("Assistant:", 1)[1]
    elif "<|im_start|>assistant" in solution_str:
        processed_str = solution_str.split("<|im_start|>assistant", 1)[1]
    else:
        return None, solution_str
    matches = list(re.finditer(r'<answer>(.*?)</answer>', processed_str, re.DOTALL))
    if len(matches) < 2:
        return None, processed_str
    try:
        score_1 = int(matches[0].group(1).strip())
        score_2 = int(matches[1].group(1).strip())
        if not (0 <= score_1 <= 10) or not (0 <= score_2 <= 10):
            raise ValueError("Scores must be between 0 and 10")
        return [score_1, score_2], processed_str
    except Exception:
        return None, processed_str


def judgelrm_reward(text):
    return extract_solution("<|im_start|>assistant\n<think>" + text)[0]


def parse_judge_lrm_response(text):
    answers = re.findall(r'<answer>\s*(\d+)\s*</answer>', text)
    try:
        if len(answers) >= 2:
            num1 = float(answers[0])
        num2 = float(answers[1])
        if num1 > num2:
            return 1
        elif num1 < num2:
            return 2
        else:
            return 0
    except Exception:
        return 0


special_pattern = re.compile(
    r"<unk>|<pad>|<s>|</s>|\[PAD\]|<\|endoftext\|>|\[UNK\]|\[CLS\]|\[MASK\]|<\|startofpiece\|>|<\|endofpiece\|>|\[gMASK\]|\[sMASK\]"
)


def postprocess_output(text):
    try:
        text = text.strip().split("<|im_start|>assistant")[1].strip().split("</think>")[1].strip()
        special_pattern.sub("", text.strip()).strip()
    except Exception:
        text = "<answer>0</answer><answer>0</answer>"
    return text


def filter_special_token(text):
    return special_pattern.sub("", text.strip()).strip()


def judgelrm_pandalm_inference(text):
    return parse_judge_lrm_response(filter_special_token(postprocess_output("<|im_start|>assistant\n<think>" + text)))


def parse_pandalm_response(text):
    sp = text.strip().split("\n")
    if sp[0] in ["1", "2"]:
        return int(sp[0])
    elif sp[0].lower() == "tie":
        return 0
    else:
        return 0


two_score_pattern = re.compile(r"\[\[(\d+\.?\d*),\s?(\d+\.?\d*)\]\]")
two_score_pattern_backup = re.compile(r"\[(\d+\.?\d*),\s?(\d+\.?\d*)\]")
one_score_pattern = re.compile(r"\[\[(\d+\.?\d*)\]\]")
one_score_pattern_backup = re.compile(r"\[(\d+\.?\d*)\]")


def mtbench_pair(judgment):
    if "[[A]]" in judgment:
        return "A"
    elif "[[B]]" in judgment:
        return "B"
    elif "[[C]]" in judgment:
        return "tie"
    return "error"


def mtbench_single(judgment):
    match = re.search(one_score_pattern, judgment)
    if not match:
        match = re.search(one_score_pattern_backup, judgment)
    if match:
        try:
            return ast.literal_eval(match.groups()[0])
        except Exception:
            return "raise"
    return -1


def _parse_output_absolute(output):
    pattern = r"""
        (?:
            \[RESULT\]|\[SCORE\]|
            Score:?|score:?|
            Result:?|\[Result\]:?|
            score\s+of
        )
        \s*
        (?:\(|\[|\s)*
        (\d+)
        (?:
            (?:\)|\]|\s|$)|
            (?:/\s*5|
               \s*out\s*of\s*5)
        )
    """
    match = re.search(pattern, output, re.IGNORECASE | re.VERBOSE)
    if match:
        result = int(match.group(1))
        if 1 <= result <= 5:
            return output, result
    return None, None


def _parse_output_relative(output):
    explicit_pattern = r"""
        (?:
            \[RESULT\]|\[RESULT:\s*|
            \[Response\s+|
            \[Result\](?:\s+Response)?|
            \[Result:\s*|
            (?:^|\n)Result:?\s*
        )
        \s*
        (A|B)
        (?:\]|\s|$)
    """
    match = re.search(explicit_pattern, output, re.IGNORECASE | re.VERBOSE | re.MULTILINE)
    if match:
        return output, match.group(1).upper()
    return None, None


def postprocess_output_qwen3(text):
    # judgelrm_qwen3_inference.py postprocess_output (print calls dropped)
    try:
        if "<|im_start|>assistant" in text:
            text_after_assistant = text.split("<|im_start|>assistant")[1]
            answers = re.findall(r'<answer>\s*(\d+)\s*</answer>', text_after_assistant)
            if len(answers) >= 2:
                return f"<answer>{answers[-2]}</answer><answer>{answers[-1]}</answer>"
            elif len(answers) == 1:
                return f"<answer>{answers[0]}</answer><answer>0</answer>"
        if "</think>" in text:
            text_after_reasoning = text.split("</think>")[1]
            answers = re.findall(r'<answer>\s*(\d+)\s*</answer>', text_after_reasoning)
            if len(answers) >= 2:
                return f"<answer>{answers[-2]}</answer><answer>{answers[-1]}</answer>"
            elif len(answers) == 1:
                return f"<answer>{answers[0]}</answer><answer>0</answer>"
        answers = re.findall(r'<answer>\s*(\d+)\s*</answer>', text)
        if len(answers) >= 2:
            return f"<answer>{answers[-2]}</answer><answer>{answers[-1]}</answer>"
        elif len(answers) == 1:
            return f"<answer>{answers[0]}</answer><answer>0</answer>"
        return "<answer>0</answer><answer>0</answer>"
    except Exception:
        return "<answer>0</answer><answer>0</answer>"


def judgelrm_qwen3_inference(text):
    return parse_judge_lrm_response(filter_special_token(postprocess_output_qwen3("<|im_start|>assistant\n<think>" + text)))


def judgelrm_qwen3_inference_full(text):
    return parse_judge_lrm_response(filter_special_token(postprocess_output_qwen3(text)))


PARSERS = {
    "judgelm-scores": judgelm,
    "judgelrm-answer-tags": judgelrm_reward,
    "judgelrm-pandalm-inference": judgelrm_pandalm_inference,
    "judgelrm-qwen3-inference": judgelrm_qwen3_inference,
    "judgelrm-qwen3-inference-full": judgelrm_qwen3_inference_full,
    "pandalm": parse_pandalm_response,
    "mtbench-pair": mtbench_pair,
    "mtbench-single": mtbench_single,
    "prometheus-absolute": lambda t: _parse_output_absolute(t)[1],
    "prometheus-relative": lambda t: _parse_output_relative(t)[1],
}


def _sanitize(v):
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return repr(v)
    if isinstance(v, list):
        return [_sanitize(x) for x in v]
    return v


def main():
    mode = sys.argv[1]
    cases = json.load(sys.stdin)
    out = {}
    for name, texts in cases.items():
        fn = PARSERS[name]
        if mode == "eval":
            out[name] = [_sanitize(fn(t)) for t in texts]
            continue
        min_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
        for t in texts:
            fn(t)
        samples = []
        start = time.perf_counter()
        while len(samples) < 5 or time.perf_counter() - start < min_seconds:
            t0 = time.perf_counter()
            for t in texts:
                fn(t)
            samples.append(time.perf_counter() - t0)
        samples.sort()
        out[name] = len(texts) / samples[len(samples) // 2]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
