"""Python re-statement of the upstream judge prompt builders, with the upstream strings copied
verbatim from their sources (str.format / f-strings exactly as upstream calls them).

Used two ways:
  python3 upstream_prompts.py golden <sample.json>   -> JSON {template_key: rendered raw string}
  python3 upstream_prompts.py bench <seconds>         -> JSON {template_key: renders per second}

Sources:
  JudgeLM   baaivision/JudgeLM judgelm/llm_judge/common.py (00c45169)
  JudgeLRM  NuoJohnChen/JudgeLRM src/examples/data_preprocess/judgelrm.py (1b20721),
            pandalm/utils/judgelrm_single_inference.py (e60f305)
  PandaLM   WeOpenML/PandaLM pandalm/utils/pandalm_inference.py (3871806e)
  MT-Bench  lm-sys/FastChat fastchat/llm_judge/data/judge_prompts.jsonl (0e6e7fdc)
  Prometheus prometheus-eval/prometheus-eval libs/prometheus-eval/prometheus_eval/prompts.py (485d2b4)
            + FastChat "mistral" conversation (LLAMA2 separator style)
"""

import json
import re
import sys
import time

# ---------------------------------------------------------------- JudgeLM (common.py)
num2words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five",
             6: "six", 7: "seven", 8: "eight", 9: 'nine', 10: 'ten',
             11: 'eleven', 12: 'twelve', 13: 'thirteen', 14: 'fourteen',
             15: 'fifteen', 16: 'sixteen', 17: 'seventeen', 18: 'eighteen', 19: 'nineteen'}

JLM_SYSTEM = 'You are a helpful and precise assistant for checking the quality of the answer.'
JLM_PROMPT = "We would like to request your feedback on the performance of two AI assistants in response to the user question displayed above.\nPlease rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.\nPlease first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment."
JLM_VQA_PROMPT = "We would like to request your feedback on the performance of two AI assistants' answers in comparing with the reference answer and determine if they match meaningfully. Please rate the helpfulness, relevance, accuracy, level of details of the Assistants' answers. To accomplish the task, you must : 1. Focus on the meaningful match between the reference answer and the Assistants' answers.\n 2. Consider synonyms or paraphrases as valid matches.\n 3. Evaluate the correctness of the Assistants' answers compared to the reference answer.\n 4. If there are multiple reference answers, the Assistants' answer is considered correct as long as it is close to any of the answers.\nPlease first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment."
JLM_PAIR = "[Question]\n{question}\n\n[The Start of Assistant 1's Answer]\n{answer_1}\n\n[The End of Assistant 1's Answer]\n\n[The Start of Assistant 2's Answer]\n{answer_2}\n\n[The End of Assistant 2's Answer]\n\n[System]\n{prompt}\n\n"
JLM_PAIR_REF = "[Question]\n{question}\n\n[Reference Answer]\n{reference}\n\n[The Start of Assistant 1's Answer]\n{answer_1}\n\n[The End of Assistant 1's Answer]\n\n[The Start of Assistant 2's Answer]\n{answer_2}\n\n[The End of Assistant 2's Answer]\n\n[System]\n{prompt}\n\n"
JLM_MULTI = "[Question]\n{question}\n\n[The Start of Assistant 1's Answer]\n{answer_1}\n\n[The End of Assistant 1's Answer]\n\n[The Start of Assistant 2's Answer]\n{answer_2}\n\n[The End of Assistant 2's Answer]\n\n{answer_more}[System]\n{prompt}\n\n"
JLM_MULTI_REF = "[Question]\n{question}\n\n[Reference Answer]\n{reference}\n\n[The Start of Assistant 1's Answer]\n{answer_1}\n\n[The End of Assistant 1's Answer]\n\n[The Start of Assistant 2's Answer]\n{answer_2}\n\n[The End of Assistant 2's Answer]\n\n{answer_more}[System]\n{prompt}\n\n"
JLM_ANSWER_FORMAT = "[The Start of Assistant {answer_id}'s Answer]\n{answer}\n\n[The End of Assistant {answer_id}'s Answer]\n\n"


def jlm_copy_prompt(prompt, answer_num):
    # Conversation.copy(answer_num)
    prompt = prompt.replace("two", num2words[int(answer_num)]).replace("for Assistant 1 and 2", "for Assistant 1")
    plug_in_after_str = "for Assistant 1"
    plug_in_pos = prompt.find(plug_in_after_str) + len(plug_in_after_str)
    new_answer = ""
    for i in range(int(answer_num) - 2):
        new_answer += f", {i+2}"
    new_answer += f" and {int(answer_num)}"
    return prompt[:plug_in_pos] + new_answer + prompt[plug_in_pos:]


def judgelm_pair(s, ref=False):
    if ref:
        body = JLM_PAIR_REF.format(question=s["question"], reference=s["reference"], answer_1=s["answer1"], answer_2=s["answer2"], prompt=JLM_PROMPT)
    else:
        body = JLM_PAIR.format(question=s["question"], answer_1=s["answer1"], answer_2=s["answer2"], prompt=JLM_PROMPT)
    return JLM_SYSTEM + "\n" + body + "### Response:"


def judgelm_single(s, ref=False):
    # Assistant 1 = reference answer, Assistant 2 = graded answer, appendix "### Response:10"
    if ref:
        body = JLM_PAIR_REF.format(question=s["question"], reference=s["reference"], answer_1=s["reference"], answer_2=s["answer"], prompt=JLM_PROMPT)
    else:
        body = JLM_PAIR.format(question=s["question"], answer_1=s["reference"], answer_2=s["answer"], prompt=JLM_PROMPT)
    return JLM_SYSTEM + "\n" + body + "### Response:10"


def judgelm_vqa(s):
    body = JLM_PAIR_REF.format(question=s["question"], reference=s["reference"], answer_1=s["reference"], answer_2=s["answer"], prompt=JLM_VQA_PROMPT)
    return JLM_SYSTEM + "\n" + body + "### Response:10"


def judgelm_multi(s, ref=False):
    answers = s["answers"]
    n = len(answers)
    prompt = jlm_copy_prompt(JLM_PROMPT, n)
    more = ""
    for i in range(2, n):
        more += JLM_ANSWER_FORMAT.format(answer_id=i + 1, answer=answers[i])
    if ref:
        body = JLM_MULTI_REF.format(question=s["question"], reference=s["reference"], answer_1=answers[0], answer_2=answers[1], answer_more=more, prompt=prompt)
    else:
        body = JLM_MULTI.format(question=s["question"], answer_1=answers[0], answer_2=answers[1], answer_more=more, prompt=prompt)
    return JLM_SYSTEM + "\n" + body + "### Response:"


# ---------------------------------------------------------------- JudgeLRM
def judgelrm_train(s):
    question, answer_1, answer_2 = s["question"], s["answer1"], s["answer2"]
    prefix = f"""<|im_start|>system\nYou are a helpful assistant. The assistant first performs a detailed, step-by-step reasoning process in its mind and then provides the user with the answer. The reasoning process and answer are enclosed within <think> </think> and<answer> </answer> tags, respectively, i.e., <think> detailed reasoning process here, explaining each step of your evaluation for both assistants </think><answer> answer here </answer>. Now the user asks you to judge the performance of two AI assistants in response to the question. Score assistants 1-10 (higher=better). Criteria includes helpfulness, relevance, accuracy, and level of detail. Avoid order, length, style or other bias. After thinking, when you finally reach a conclusion, clearly  provide your evaluation scores within <answer> </answer> tags, i.e. for example,<answer>3</answer><answer>5</answer>\n<|im_end|>\n<|im_start|>user\n[Question]\n{question}\n\n[Assistant 1’s Answer]\n{answer_1}\n\n[Assistant 2’s Answer]\n{answer_2}\n<|im_end|>\n<|im_start|>assistant\n<think>"""
    return prefix


PATTERN = re.compile(r"<unk>|<pad>|<s>|</s>|\[PAD\]|<\|endoftext\|>|\[UNK\]|\[CLS\]|\[MASK\]|<\|startofpiece\|>|<\|endofpiece\|>|\[gMASK\]|\[sMASK\]")

JLRM_TEMPLATE = """<|im_start|>system
You are a helpful assistant. The assistant first performs a detailed, step-by-step reasoning process in its mind and then provides the user with the answer. The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, i.e., <think> detailed reasoning process here, explaining each step of your evaluation for both assistants </think><answer> answer here </answer>. Now the user asks you to judge the performance of two AI assistants in response to the question. Score assistants 1-10 (higher=better). Criteria includes helpfulness, relevance, accuracy, and level of detail. Avoid order, length, style or other bias. After thinking, when you finally reach a conclusion, clearly provide your evaluation scores within <answer> </answer> tags, i.e. for example,<answer>3</answer><answer>5</answer>
<|im_end|>
<|im_start|>user
[Question]
{question}

[Assistant 1's Answer]
{answer_1}

[Assistant 2's Answer]
{answer_2}
<|im_end|>
<|im_start|>assistant
<think>"""

JLRM_SINGLE_TEMPLATE = """<|im_start|>system
You are a helpful assistant. The assistant first performs a detailed, step-by-step reasoning process in its mind and then provides the user with the answer. The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively. Now the user asks you to judge ONE AI assistant's response to the question. Provide a single score from 1-10 (higher=better). Criteria include helpfulness, relevance, accuracy, and level of detail. Avoid bias from order, length, or style. After thinking, provide ONLY the numeric score within <answer> </answer> tags.
<|im_end|>
<|im_start|>user
[Question]
{question}

[Assistant's Answer]
{answer}
<|im_end|>
<|im_start|>assistant
<think>"""


def judgelrm_inference(s):
    # build_judgelrm_prompt with input == "" (question already joined)
    resp1 = PATTERN.sub("", s["answer1"].strip()).strip()
    resp2 = PATTERN.sub("", s["answer2"].strip()).strip()
    return JLRM_TEMPLATE.format(question=s["question"], answer_1=resp1, answer_2=resp2)


def judgelrm_single(s):
    answer = PATTERN.sub("", s["answer"].strip()).strip()
    return JLRM_SINGLE_TEMPLATE.format(question=s["question"], answer=answer)


# ---------------------------------------------------------------- PandaLM
def pandalm(s, input=""):
    instruction = s["question"]
    resp1 = PATTERN.sub("", s["answer1"].strip()).strip()
    resp2 = PATTERN.sub("", s["answer2"].strip()).strip()
    rsp = f"### Response 1:\n{resp1}\n\n### Response 2:\n{resp2}"
    if input:
        input_sequence = f"Below are two responses for a given task. The task is defined by the Instruction with an Input that provides further context. Evaluate the responses and generate a reference answer for the task.\n\n### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n{rsp}\n\n### Evaluation:\n"
    else:
        input_sequence = f"Below are two responses for a given task. The task is defined by the Instruction. Evaluate the responses and generate a reference answer for the task.\n\n### Instruction:\n{instruction}\n\n{rsp}\n\n### Evaluation:\n"
    return input_sequence


# ---------------------------------------------------------------- MT-Bench (judge_prompts.jsonl records)
MTB = {r["name"]: r for r in map(json.loads, [
    r'''{"name": "pair-v2", "type": "pairwise", "system_prompt": "Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user question displayed below. You should choose the assistant that follows the user's instructions and answers the user's question better. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of their responses. Begin your evaluation by comparing the two responses and provide a short explanation. Avoid any positional biases and ensure that the order in which the responses were presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. After providing your explanation, output your final verdict by strictly following this format: \"[[A]]\" if assistant A is better, \"[[B]]\" if assistant B is better, and \"[[C]]\" for a tie.", "prompt_template": "[User Question]\n{question}\n\n[The Start of Assistant A's Answer]\n{answer_a}\n[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\n{answer_b}\n[The End of Assistant B's Answer]", "description": "Prompt for general questions", "category": "general", "output_format": "[[A]]"}''',
    r'''{"name": "pair-math-v1", "type": "pairwise", "system_prompt": "Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user question displayed below. Your evaluation should consider correctness and helpfulness. You will be given a reference answer, assistant A's answer, and assistant B's answer. Your job is to evaluate which assistant's answer is better. Begin your evaluation by comparing both assistants' answers with the reference answer. Identify and correct any mistakes. Avoid any positional biases and ensure that the order in which the responses were presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. After providing your explanation, output your final verdict by strictly following this format: \"[[A]]\" if assistant A is better, \"[[B]]\" if assistant B is better, and \"[[C]]\" for a tie.", "prompt_template": "[User Question]\n{question}\n\n[The Start of Reference Answer]\n{ref_answer_1}\n[The End of Reference Answer]\n\n[The Start of Assistant A's Answer]\n{answer_a}\n[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\n{answer_b}\n[The End of Assistant B's Answer]", "description": "Prompt for math questions", "category": "math", "output_format": "[[A]]"}''',
    r'''{"name": "single-v1", "type": "single", "system_prompt": "You are a helpful assistant.", "prompt_template": "[Instruction]\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of the response. Begin your evaluation by providing a short explanation. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: \"[[rating]]\", for example: \"Rating: [[5]]\".\n\n[Question]\n{question}\n\n[The Start of Assistant's Answer]\n{answer}\n[The End of Assistant's Answer]", "description": "Prompt for general questions", "category": "general", "output_format": "[[rating]]"}''',
    r'''{"name": "single-math-v1", "type": "single", "system_prompt": "You are a helpful assistant.", "prompt_template": "[Instruction]\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider correctness and helpfulness. You will be given a reference answer and the assistant's answer. Begin your evaluation by comparing the assistant's answer with the reference answer. Identify and correct any mistakes. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: \"[[rating]]\", for example: \"Rating: [[5]]\".\n\n[Question]\n{question}\n\n[The Start of Reference Answer]\n{ref_answer_1}\n[The End of Reference Answer]\n\n[The Start of Assistant's Answer]\n{answer}\n[The End of Assistant's Answer]", "description": "Prompt for general questions", "category": "math", "output_format": "[[rating]]"}''',
    r'''{"name": "pair-v2-multi-turn", "type": "pairwise", "system_prompt": "Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user questions. You should choose the assistant that follows the user's instructions and answers the user's questions better. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of their responses. You should focus on who provides a better answer to the second user question. Begin your evaluation by comparing the responses of the two assistants and provide a short explanation. Avoid any positional biases and ensure that the order in which the responses were presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. After providing your explanation, output your final verdict by strictly following this format: \"[[A]]\" if assistant A is better, \"[[B]]\" if assistant B is better, and \"[[C]]\" for a tie.", "prompt_template": "<|The Start of Assistant A's Conversation with User|>\n\n### User:\n{question_1}\n\n### Assistant A:\n{answer_a_1}\n\n### User:\n{question_2}\n\n### Assistant A:\n{answer_a_2}\n\n<|The End of Assistant A's Conversation with User|>\n\n\n<|The Start of Assistant B's Conversation with User|>\n\n### User:\n{question_1}\n\n### Assistant B:\n{answer_b_1}\n\n### User:\n{question_2}\n\n### Assistant B:\n{answer_b_2}\n\n<|The End of Assistant B's Conversation with User|>", "description": "Prompt for multi-turn general questions", "category": "general", "output_format": "[[A]]"}''',
    r'''{"name": "pair-math-v1-multi-turn", "type": "pairwise", "system_prompt": "Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user questions. Your evaluation should consider correctness and helpfulness. You will be given reference answers, the assistant A's answers, the assistant B's answers. Your job is to determine which assistant provides correct and helpful answers to the second user question. Begin your evaluation by comparing both assistants' answers with the reference answers. Identify and correct any mistakes. Avoid any positional biases and ensure that the order in which the responses were presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. After providing your explanation, output your final verdict by strictly following this format: \"[[A]]\" if assistant A is better, \"[[B]]\" if assistant B is better, and \"[[C]]\" for a tie.", "prompt_template": "<|The Start of Reference Answer|>\n\n### User:\n{question_1}\n\n### Reference answer:\n{ref_answer_1}\n\n### User:\n{question_2}\n\n### Reference answer:\n{ref_answer_2}\n\n<|The End of Reference Answer|>\n\n\n<|The Start of Assistant A's Conversation with User|>\n\n### User:\n{question_1}\n\n### Assistant A:\n{answer_a_1}\n\n### User:\n{question_2}\n\n### Assistant A:\n{answer_a_2}\n\n<|The End of Assistant A's Conversation with User|>\n\n\n<|The Start of Assistant B's Conversation with User|>\n\n### User:\n{question_1}\n\n### Assistant B:\n{answer_b_1}\n\n### User:\n{question_2}\n\n### Assistant B:\n{answer_b_2}\n\n<|The End of Assistant B's Conversation with User|>", "description": "Prompt for multi-turn general questions", "category": "general", "output_format": "[[A]]"}''',
    r'''{"name": "single-v1-multi-turn", "type": "single", "system_prompt": "Please act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of the response. You evaluation should focus on the assistant's answer to the second user question. Begin your evaluation by providing a short explanation. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: \"[[rating]]\", for example: \"Rating: [[5]]\".\n\n", "prompt_template": "<|The Start of Assistant A's Conversation with User|>\n\n### User:\n{question_1}\n\n### Assistant A:\n{answer_1}\n\n### User:\n{question_2}\n\n### Assistant A:\n{answer_2}\n\n<|The End of Assistant A's Conversation with User|>", "description": "Prompt for general questions", "category": "general", "output_format": "[[rating]]"}''',
    r'''{"name": "single-math-v1-multi-turn", "type": "single", "system_prompt": "Please act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question. Your evaluation should consider correctness and helpfulness. You will be given a reference answer and the assistant's answer. You evaluation should focus on the assistant's answer to the second question. Begin your evaluation by comparing the assistant's answer with the reference answer. Identify and correct any mistakes. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: \"[[rating]]\", for example: \"Rating: [[5]]\".\n\n", "prompt_template": "<|The Start of Reference Answer|>\n\n### User:\n{question_1}\n\n### Reference answer:\n{ref_answer_1}\n\n### User:\n{question_2}\n\n### Reference answer:\n{ref_answer_2}\n\n<|The End of Reference Answer|>\n\n\n<|The Start of Assistant A's Conversation with User|>\n\n### User:\n{question_1}\n\n### Assistant A:\n{answer_1}\n\n### User:\n{question_2}\n\n### Assistant A:\n{answer_2}\n\n<|The End of Assistant A's Conversation with User|>", "description": "Prompt for general questions", "category": "math", "output_format": "[[rating]]"}''',
])}


def mtbench(name, s):
    r = MTB[name]
    kwargs = {"question": s["question"]}
    if r["type"] == "pairwise":
        kwargs["answer_a"], kwargs["answer_b"] = s["answer1"], s["answer2"]
    else:
        kwargs["answer"] = s["answer"]
    if "ref_answer_1" in r["prompt_template"]:
        kwargs["ref_answer_1"] = s["reference"]
    user = r["prompt_template"].format(**kwargs)
    # judgekit's raw for MT-Bench is the ChatML layout (no upstream raw string)
    return f"<|im_start|>system\n{r['system_prompt']}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n"


def mtbench_multi_turn(name, m, swap=False):
    # FastChat fastchat/llm_judge/common.py run_judge_pair / run_judge_single with multi_turn=True:
    # question_1/2 = question["turns"][0/1], answer_a_1/2 (answer_1/2) = answer["choices"][0]["turns"][0/1],
    # ref_answer_1/2 = ref_answer["choices"][0]["turns"][0/1] for the reference-guided prompts.
    r = MTB[name]
    kwargs = {}
    if "ref_answer_1" in r["prompt_template"]:
        kwargs["ref_answer_1"] = m["references"][0]
        kwargs["ref_answer_2"] = m["references"][1]
    if r["type"] == "pairwise":
        a, b = (m["answers_b"], m["answers_a"]) if swap else (m["answers_a"], m["answers_b"])
        user = r["prompt_template"].format(
            question_1=m["questions"][0], question_2=m["questions"][1],
            answer_a_1=a[0], answer_b_1=b[0], answer_a_2=a[1], answer_b_2=b[1], **kwargs)
    else:
        user = r["prompt_template"].format(
            question_1=m["questions"][0], question_2=m["questions"][1],
            answer_1=m["answers_a"][0], answer_2=m["answers_a"][1], **kwargs)
    return f"<|im_start|>system\n{r['system_prompt']}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n"


# ---------------------------------------------------------------- Prometheus (prompts.py)
ABS_SYSTEM_PROMPT = "You are a fair judge assistant tasked with providing clear, objective feedback based on specific criteria, ensuring each assessment reflects the absolute standards set for performance."
REL_SYSTEM_PROMPT = "You are a fair judge assistant assigned to deliver insightful feedback that compares individual performances, highlighting how each stands relative to others within the same cohort."

ABSOLUTE_PROMPT = """###Task Description:
An instruction (might include an Input inside it), a response to evaluate, a reference answer that gets a score of 5, and a score rubric representing a evaluation criteria are given.
1. Write a detailed feedback that assess the quality of the response strictly based on the given score rubric, not evaluating in general.
2. After writing a feedback, write a score that is an integer between 1 and 5. You should refer to the score rubric.
3. The output format should look as follows: "(write a feedback for criteria) [RESULT] (an integer number between 1 and 5)"
4. Please do not generate any other opening, closing, and explanations.

###The instruction to evaluate:
{instruction}

###Response to evaluate:
{response}

###Reference Answer (Score 5):
{reference_answer}

###Score Rubrics:
{rubric}

###Feedback: """

ABSOLUTE_PROMPT_WO_REF = """###Task Description:
An instruction (might include an Input inside it), a response to evaluate, and a score rubric representing a evaluation criteria are given.
1. Write a detailed feedback that assess the quality of the response strictly based on the given score rubric, not evaluating in general.
2. After writing a feedback, write a score that is an integer between 1 and 5. You should refer to the score rubric.
3. The output format should look as follows: "(write a feedback for criteria) [RESULT] (an integer number between 1 and 5)"
4. Please do not generate any other opening, closing, and explanations.

###The instruction to evaluate:
{instruction}

###Response to evaluate:
{response}

###Score Rubrics:
{rubric}

###Feedback: """

RELATIVE_PROMPT = """###Task Description:
An instruction (might include an Input inside it), a response to evaluate, a reference answer, and a score rubric representing a evaluation criteria are given.
1. Write a detailed feedback that assess the quality of two responses strictly based on the given score rubric, not evaluating in general.
2. After writing a feedback, choose a better response between Response A and Response B. You should refer to the score rubric.
3. The output format should look as follows: "(write a feedback for criteria) [RESULT] (A or B)"
4. Please do not generate any other opening, closing, and explanations.

###Instruction:
{instruction}

###Response A:
{response_A}

###Response B:
{response_B}

###Reference Answer:
{reference_answer}

###Score Rubric:
{rubric}

###Feedback: """

RELATIVE_PROMPT_WO_REF = """###Task Description:
An instruction (might include an Input inside it), a response to evaluate, and a score rubric representing a evaluation criteria are given.
1. Write a detailed feedback that assess the quality of two responses strictly based on the given score rubric, not evaluating in general.
2. After writing a feedback, choose a better response between Response A and Response B. You should refer to the score rubric.
3. The output format should look as follows: "(write a feedback for criteria) [RESULT] (A or B)"
4. Please do not generate any other opening, closing, and explanations.

###Instruction:
{instruction}

###Response A:
{response_A}

###Response B:
{response_B}

###Score Rubric:
{rubric}

###Feedback: """

SCORE_RUBRIC_TEMPLATE = """
[{criteria}]
Score 1: {score1_description}
Score 2: {score2_description}
Score 3: {score3_description}
Score 4: {score4_description}
Score 5: {score5_description}
""".strip()


def mistral_prompt(system, user):
    # FastChat Conversation(name="mistral", system_template="[INST] {system_message}\n",
    #   roles=("[INST]", "[/INST]"), sep_style=LLAMA2, sep=" ", sep2="</s>"), messages [user, None]
    ret = "[INST] {system_message}\n".format(system_message=system) if system else "[INST] "
    ret += user + " "
    ret += "[/INST]"
    return ret


def prometheus_absolute(s, rubric, ref=False):
    tpl = ABSOLUTE_PROMPT if ref else ABSOLUTE_PROMPT_WO_REF
    content = tpl.format(instruction=s["question"], response=s["answer"], rubric=rubric, reference_answer=s.get("reference"))
    return mistral_prompt(ABS_SYSTEM_PROMPT, content)


def prometheus_relative(s, rubric, ref=False):
    tpl = RELATIVE_PROMPT if ref else RELATIVE_PROMPT_WO_REF
    content = tpl.format(instruction=s["question"], response_A=s["answer1"], response_B=s["answer2"], rubric=rubric, reference_answer=s.get("reference"))
    return mistral_prompt(REL_SYSTEM_PROMPT, content)


def all_renders(pair, single, multi, rubric, panda_input, mt=None):
    sw = dict(pair, answer1=pair["answer2"], answer2=pair["answer1"])
    return {
        "judgelm/pair": lambda: judgelm_pair(pair),
        "judgelm/pair+ref": lambda: judgelm_pair(pair, True),
        "judgelm/pair+swap": lambda: judgelm_pair(sw),
        "judgelm/single": lambda: judgelm_single(single),
        "judgelm/single+ref": lambda: judgelm_single(single, True),
        "judgelm/multi": lambda: judgelm_multi(multi),
        "judgelm/multi+ref": lambda: judgelm_multi(multi, True),
        "judgelm/vqa-single": lambda: judgelm_vqa(single),
        "judgelrm/pair-train": lambda: judgelrm_train(pair),
        "judgelrm/pair": lambda: judgelrm_inference(pair),
        "judgelrm/pair+swap": lambda: judgelrm_inference(sw),
        "judgelrm/single": lambda: judgelrm_single(single),
        "pandalm/pair": lambda: pandalm(pair),
        "pandalm/pair+input": lambda: pandalm(pair, panda_input),
        "mtbench/pair-v2": lambda: mtbench("pair-v2", pair),
        "mtbench/pair-math-v1": lambda: mtbench("pair-math-v1", pair),
        "mtbench/single-v1": lambda: mtbench("single-v1", single),
        "mtbench/single-math-v1": lambda: mtbench("single-math-v1", single),
        "mtbench/pair-v2-multi-turn": lambda: mtbench_multi_turn("pair-v2-multi-turn", mt),
        "mtbench/pair-v2-multi-turn+swap": lambda: mtbench_multi_turn("pair-v2-multi-turn", mt, True),
        "mtbench/pair-math-v1-multi-turn": lambda: mtbench_multi_turn("pair-math-v1-multi-turn", mt),
        "mtbench/single-v1-multi-turn": lambda: mtbench_multi_turn("single-v1-multi-turn", mt),
        "mtbench/single-math-v1-multi-turn": lambda: mtbench_multi_turn("single-math-v1-multi-turn", mt),
        "prometheus/absolute": lambda: prometheus_absolute(single, rubric),
        "prometheus/absolute+ref": lambda: prometheus_absolute(single, rubric, True),
        "prometheus/relative": lambda: prometheus_relative(pair, rubric.split("\n")[0]),
        "prometheus/relative+ref": lambda: prometheus_relative(pair, rubric.split("\n")[0], True),
    }


def main():
    mode = sys.argv[1]
    data = json.loads(sys.stdin.read())
    rubric = SCORE_RUBRIC_TEMPLATE.format(**data["rubric"])
    renders = all_renders(data["pair"], data["single"], data["multi"], rubric, data["input"], data.get("multi_turn"))
    if mode == "golden":
        out = {k: f() for k, f in renders.items()}
        out["__rubric__"] = rubric
        print(json.dumps(out, ensure_ascii=False))
    else:
        seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 0.3
        keys = data.get("keys") or list(renders)
        out = {}
        for k in keys:
            f = renders[k]
            for _ in range(100):
                f()
            best = None
            for _ in range(3):
                n = 0
                t0 = time.perf_counter()
                while True:
                    for _ in range(200):
                        f()
                    n += 200
                    dt = time.perf_counter() - t0
                    if dt >= seconds / 3:
                        break
                rate = n / dt
                best = rate if best is None else max(best, rate)
            out[k] = best
        print(json.dumps(out))


if __name__ == "__main__":
    main()
