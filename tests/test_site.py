from yddnews import site

ROOT = "https://www.ybstv.net"


def test_article_number_from_desktop_and_mobile_urls():
    assert site.article_no("https://www.ybstv.net/news/article.html?no=68012") == 68012
    assert site.article_no("http://ybstv.net/mobile/article.html?no=5&x=1") == 5
    assert site.article_no("/news/article.html?sc=1&no=77") == 77


def test_legacy_archive_and_junk_have_no_article_number():
    assert site.article_no("https://www.ybstv.net/ezview/article_main.html?no=12") is None
    assert site.article_no("https://www.ybstv.net/news/article.html?no=abc") is None
    assert site.article_no("https://www.ybstv.net/news/section_list_all.html?sec_no=1") is None


def test_one_canonical_url_per_article():
    assert site.article_url(ROOT + "/", 60001) == "https://www.ybstv.net/news/article.html?no=60001"
    assert site.article_url("http://127.0.0.1:8123", 7) == "http://127.0.0.1:8123/news/article.html?no=7"


def test_www_and_scheme_variants_belong_to_the_site_but_other_hosts_do_not():
    assert site.is_site_url("http://ybstv.net/news/article.html?no=1", ROOT)
    assert site.is_site_url("https://www.ybstv.net/", ROOT)
    assert not site.is_site_url("https://www.facebook.com/sharer.php?u=x", ROOT)
    assert not site.is_site_url("file:///tmp/a.txt", ROOT)
    assert not site.is_site_url("http://127.0.0.1:9/x", "http://127.0.0.1:8/")


def test_listing_urls_and_their_page_numbers():
    url = site.writer_list_url(ROOT, "나재희", 3)
    assert "name=%EB%82%98%EC%9E%AC%ED%9D%AC" in url and "page=3" in url
    assert site.with_page(site.section_list_url(ROOT, 51, 2), 3) == (
        "https://www.ybstv.net/news/section_list_all.html?sec_no=51&page=3")
    assert site.with_page(site.all_list_url(ROOT), 1) == site.all_list_url(ROOT)


def test_only_the_sites_origin_may_be_fetched():
    assert site.on_site("https://ybstv.net/news/article.html?no=1", ROOT)
    assert site.on_site("https://www.ybstv.net:443/", ROOT)
    assert site.on_site("https://WWW.YBSTV.NET/x", "https://ybstv.net")
    assert not site.on_site("http://www.ybstv.net/", ROOT)  # another scheme
    assert not site.on_site("https://www.ybstv.net:8443/", ROOT)  # another port
    assert not site.on_site("https://evil-ybstv.net/", ROOT)
    assert not site.on_site("https://www.ybstv.net.evil.com/", ROOT)
    assert not site.on_site("https://www.ybstv.net:x/", ROOT)
    assert not site.on_site("file:///etc/passwd", ROOT)
    local = "http://127.0.0.1:8123"
    assert site.on_site("http://127.0.0.1:8123/robots.txt", local)
    assert not site.on_site("http://127.0.0.1:8124/", local)
    assert not site.on_site("http://localhost:8123/", local)
