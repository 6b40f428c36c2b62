"""Bridges to other ecosystems: a LangChain retriever (`langchain`) and optional LLM-written replies (`llm`).

Neither is imported here: each needs its own optional packages (`langchain-core`, `langchain-openai`).
"""
